import request from 'supertest';
import { WebhookKeys } from '../../apps/admin/src/webhooks/webhook-keys';
import type { DeliveryLogEntry, WebhookJob } from '../../apps/admin/src/webhooks/webhook-queue';
import { startAdmin, TestAdmin } from '../admin/admin-app';
import { RedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { verifySignature, WebhookReceiver } from './webhook-receiver';

const SECRET = 'forged-jobs-secret-0123456789';

/**
 * Issue 23 #8: webhook jobs wait in Redis, where anyone with the publisher's credentials could
 * queue one with any URL and body, and the admin used to sign and send it. Now the admin sends only
 * to its RCC_WEBHOOKS targets and only the jobs it sealed itself.
 */
describe('webhooks: jobs written into Redis by someone else', () => {
  let redis: RedisServer;
  let receiver: WebhookReceiver;
  let elsewhere: WebhookReceiver;
  let admin: TestAdmin;
  let keys: WebhookKeys;

  beforeAll(async () => {
    redis = await RedisServer.start();
    receiver = await WebhookReceiver.start();
    elsewhere = await WebhookReceiver.start(); // not a configured target
    const saved = { ...process.env };
    Object.assign(process.env, {
      RCC_WEBHOOKS: receiver.url,
      RCC_WEBHOOK_SECRET: SECRET,
      RCC_WEBHOOK_RETRY_MS: '50',
    });
    try {
      admin = await startAdmin(redis, { settings: { writeRateLimit: 0 } });
    } finally {
      for (const name of ['RCC_WEBHOOKS', 'RCC_WEBHOOK_SECRET', 'RCC_WEBHOOK_RETRY_MS']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
    keys = new WebhookKeys(admin.namespace);
  });
  afterAll(async () => {
    await admin?.app.close();
    await receiver?.close();
    await elsewhere?.close();
    await redis?.dispose();
  });

  /** Queues `job` as a forger would: straight into the queue's keys, due now. */
  async function forge(job: WebhookJob): Promise<void> {
    const client = redis.client();
    try {
      await client
        .multi()
        .hset(keys.jobs, job.id, JSON.stringify(job))
        .zadd(keys.queue, 0, job.id)
        .exec();
    } finally {
      client.disconnect();
    }
  }

  const deliveries = async (): Promise<DeliveryLogEntry[]> => {
    const response = await request(admin.app.getHttpServer())
      .get('/api/webhooks/deliveries?limit=100')
      .set('Authorization', admin.auth);
    expect(response.status).toBe(200);
    return response.body as DeliveryLogEntry[];
  };
  const settledOnce = (id: string) =>
    waitFor(`the outcome of ${id}`, async () =>
      (await deliveries()).find((entry) => entry.delivery === id),
    );

  it('refuses a job to a URL that is not a target, and one with a body it did not seal', async () => {
    const body = JSON.stringify({ id: 'evil', type: 'published', group: 'payments' });
    await forge({
      id: 'evil-1',
      eventId: 'evil',
      type: 'published',
      url: elsewhere.url,
      target: 1,
      body,
    });
    await forge({
      id: 'evil-2',
      eventId: 'evil',
      type: 'published',
      url: receiver.url,
      target: 1,
      body,
      seal: 'ab'.repeat(32),
    });
    await forge({
      id: 'evil-3',
      eventId: 'evil',
      type: 'published',
      url: receiver.url,
      target: 1,
      body,
    });
    for (const id of ['evil-1', 'evil-2', 'evil-3']) {
      expect(await settledOnce(id)).toMatchObject({
        outcome: 'failed',
        attempt: 1,
        error: 'refused: not a delivery this admin queued',
      });
    }

    // A real write afterwards is delivered, signed: the only POST either receiver ever got.
    const put = await request(admin.app.getHttpServer())
      .put('/api/groups/real')
      .set('Authorization', admin.auth)
      .send({ config: { a: 1 } });
    expect(put.status).toBe(200);
    await waitFor('the real delivery', () => receiver.delivered.length === 1);
    expect(verifySignature(receiver.delivered[0], SECRET)).toBe(true);
    expect(JSON.parse(receiver.delivered[0].body)).toMatchObject({ group: 'real' });
    expect(receiver.received).toHaveLength(1);
    expect(elsewhere.received).toHaveLength(0);
  });
});
