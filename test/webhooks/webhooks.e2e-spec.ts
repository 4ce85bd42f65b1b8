import type { DeliveryLogEntry as Delivery } from '../../apps/admin/src/webhooks/webhook-queue';
import { AppProcess, builtEntry } from '../blackbox/built-app';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { verifySignature, WebhookReceiver } from './webhook-receiver';

const TOKEN = 'webhook-admin-token-0123456789';
const SECRET = 'webhook-secret-never-logged-0123';

/**
 * The built admin POSTs a signed webhook per write to a receiver on 127.0.0.1, retries it after a
 * 500, lists its deliveries, survives a restart between a write and its delivery, and with two
 * replicas delivers each event once.
 */
describe('webhooks: built admin processes, real HTTP receiver, real Redis', () => {
  let redis: RedisServer;
  let receiver: WebhookReceiver;
  const admins: AppProcess[] = [];

  beforeAll(async () => {
    builtEntry('admin');
    redis = await RedisServer.start();
    receiver = await WebhookReceiver.start();
  });

  afterEach(async () => {
    await Promise.all(admins.splice(0).map((admin) => admin.stop()));
    receiver.received.length = 0;
    receiver.respond = () => 200;
  });

  afterAll(async () => {
    await receiver?.close();
    await redis?.dispose();
  });

  /** A built admin with webhooks to the receiver; resolves once it answers. */
  async function startAdmin(namespace: string, extra: Record<string, string> = {}) {
    const port = await freePort();
    const admin = AppProcess.start('admin', {
      REDIS_URL: redis.url,
      RCC_NAMESPACE: namespace,
      ADMIN_PORT: String(port),
      ADMIN_TOKEN: TOKEN,
      ADMIN_MICROSERVICE: 'false',
      LOG_FORMAT: 'text',
      RCC_WEBHOOKS: receiver.url,
      RCC_WEBHOOK_SECRET: SECRET,
      RCC_WEBHOOK_RETRY_MS: '100',
      RCC_WEBHOOK_TIMEOUT_MS: '2000',
      ...extra,
    });
    admins.push(admin);
    const url = `http://127.0.0.1:${port}`;
    await admin.waitForHttp(`${url}/health`);
    return { admin, url };
  }

  /** Deliveries queued, in flight or waiting for a retry. */
  async function pending(namespace: string): Promise<number> {
    const client = redis.client();
    try {
      return await client.zcard(`{${namespace}}:webhooks:queue`);
    } finally {
      await client.quit();
    }
  }

  const api = (url: string, path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });

  const publish = (url: string, group: string, config: object) =>
    api(url, `/api/groups/${group}`, { method: 'PUT', body: JSON.stringify({ config }) });

  async function deliveries(url: string): Promise<Delivery[]> {
    const response = await api(url, '/api/webhooks/deliveries?limit=100');
    expect(response.status).toBe(200);
    return (await response.json()) as Delivery[];
  }

  it('POSTs a signed event, retries it after a 500, and lists both attempts', async () => {
    const { admin, url } = await startAdmin(uniqueNamespace('webhooks'));
    receiver.respond = () => (receiver.received.length === 0 ? 500 : 200);
    expect((await publish(url, 'hooked', { apikey: 'k1' })).status).toBe(200);

    await waitFor('the retried delivery', () => receiver.delivered.length > 0, 15_000);
    const [hook] = receiver.delivered;
    expect(receiver.received.map((h) => h.answered)).toEqual([500, 200]);
    for (const received of receiver.received) expect(verifySignature(received, SECRET)).toBe(true);
    expect(verifySignature({ ...hook, body: hook.body.replace('hooked', 'hacked') }, SECRET)).toBe(
      false,
    );
    expect(verifySignature(hook, 'another-secret-0123456789')).toBe(false);
    const event = JSON.parse(hook.body) as Record<string, unknown>;
    expect(event).toMatchObject({ type: 'published', group: 'hooked', version: 0, created: true });
    expect(hook.headers['x-rcc-event']).toBe('published');
    expect(hook.headers['x-rcc-delivery']).toBe(receiver.received[0].headers['x-rcc-delivery']);
    expect(hook.headers['x-rcc-attempt']).toBe('2');

    await waitFor('both attempts in the log', async () => (await deliveries(url)).length === 2);
    const listed = await deliveries(url);
    expect(listed.map((d) => [d.attempt, d.outcome, d.status])).toEqual([
      [2, 'delivered', 200],
      [1, 'retrying', 500],
    ]);
    expect(listed[0]).toMatchObject({ event: 'published', target: 1, eventId: event.id });
    expect(listed[0].origin).toBe(new URL(receiver.url).origin); // never the path
    expect((await fetch(`${url}/api/webhooks/deliveries`)).status).toBe(401);
    expect(admin.log).not.toContain(SECRET);
  });

  it('announces deletes, rollbacks and imports', async () => {
    const { url } = await startAdmin(uniqueNamespace('webhook-kinds'));
    await publish(url, 'kinds', { a: 1 });
    await publish(url, 'kinds', { a: 2 });
    await api(url, '/api/groups/kinds/rollback', {
      method: 'POST',
      body: JSON.stringify({ version: 0 }),
    });
    await api(url, '/api/import', {
      method: 'POST',
      body: JSON.stringify([
        { group_name: 'imported-one', group_version: 0, config_dict: { b: 1 } },
      ]),
    });
    expect((await api(url, '/api/groups/kinds', { method: 'DELETE' })).status).toBe(200);
    await waitFor('five deliveries', () => receiver.delivered.length === 5);
    const hooks = receiver.delivered;
    const events = hooks.map((hook) => JSON.parse(hook.body) as Record<string, unknown>);
    expect(events.map((e) => e.type).sort()).toEqual(
      ['deleted', 'imported', 'published', 'published', 'rolled-back'].sort(),
    );
    expect(events.find((e) => e.type === 'imported')).toMatchObject({ groups: ['imported-one'] });
    expect(events.find((e) => e.type === 'rolled-back')).toMatchObject({
      group: 'kinds',
      version: 2,
    });
  });

  it('a restart of the admin between a write and its delivery loses no delivery', async () => {
    const namespace = uniqueNamespace('webhook-restart');
    const first = await startAdmin(namespace, { RCC_WEBHOOK_RETRY_MS: '200' });
    receiver.respond = () => 503; // the receiver is down
    expect((await publish(first.url, 'survivor', { v: 1 })).status).toBe(200);
    await waitFor('a failed first attempt', () => receiver.received.length > 0);
    // A crash, not a clean stop: whatever it held in flight is found again by its successor.
    await first.admin.kill();

    receiver.respond = () => 200; // the receiver is back
    const second = await startAdmin(namespace, { RCC_WEBHOOK_RETRY_MS: '200' });
    await waitFor('the delivery after the restart', () => receiver.delivered.length > 0, 20_000);
    const [hook] = receiver.delivered;
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'published', group: 'survivor' });
    expect(verifySignature(hook, SECRET)).toBe(true);
    await waitFor('the queue to drain', async () => (await pending(namespace)) === 0, 20_000);
    expect(receiver.delivered).toHaveLength(1);
    expect((await deliveries(second.url))[0]).toMatchObject({ outcome: 'delivered' });
  });

  it('two admin replicas deliver each event once', async () => {
    const namespace = uniqueNamespace('webhook-replicas');
    const [a, b] = await Promise.all([startAdmin(namespace), startAdmin(namespace)]);
    const writes = 12;
    for (let i = 0; i < writes; i++) {
      expect((await publish(i % 2 ? a.url : b.url, `replica-${i}`, { i })).status).toBe(200);
    }
    await waitFor('every event delivered', () => receiver.delivered.length >= writes, 20_000);
    // Once the queue is empty, no delivery can follow: every attempt there was has been made.
    await waitFor('the queue to drain', async () => (await pending(namespace)) === 0, 20_000);
    expect((await deliveries(a.url)).filter((d) => d.outcome === 'delivered')).toHaveLength(writes);
    const ids = receiver.received.map((hook) => hook.headers['x-rcc-delivery']);
    expect(new Set(ids).size).toBe(writes);
    expect(ids).toHaveLength(writes);
  });

  it('refuses a bad RCC_WEBHOOKS at start, naming the variable and not the URL or the secret', async () => {
    const admin = AppProcess.start('admin', {
      REDIS_URL: redis.url,
      ADMIN_PORT: String(await freePort()),
      ADMIN_TOKEN: TOKEN,
      LOG_FORMAT: 'text',
      RCC_WEBHOOKS: 'ftp://files.example/secret-path-token',
      RCC_WEBHOOK_SECRET: SECRET,
    });
    admins.push(admin);
    const exit = await admin.waitForExit();
    expect(exit.code).toBe(1);
    expect(admin.log).toContain('RCC_WEBHOOKS: entry 1 is not an http:// or https:// URL');
    expect(admin.log).not.toContain('secret-path-token');
    expect(admin.log).not.toContain(SECRET);
  });
});
