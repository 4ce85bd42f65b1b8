import type Redis from 'ioredis';
import { webhookEvent } from '../../apps/admin/src/webhooks/webhook-event';
import { ClaimedJob, WebhookQueue } from '../../apps/admin/src/webhooks/webhook-queue';
import type { AdminRedis } from '../../apps/admin/src/common/admin-redis';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

/** The webhook queue's Lua scripts against a real Redis: claims are exclusive and leased. */
describe('WebhookQueue (Redis)', () => {
  let redis: RedisServer;
  let clients: Redis[];

  beforeAll(async () => {
    redis = await RedisServer.start();
    clients = [];
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
    await redis?.dispose();
  });

  /** A queue as one admin replica has it: its own connection, a shared namespace. */
  function queueOf(namespace: string): WebhookQueue {
    const client = redis.client();
    clients.push(client);
    return new WebhookQueue({ client, namespace } as AdminRedis);
  }

  const write = (group: string) =>
    webhookEvent({ kind: 'published', group, version: 1, author: 'tester' }, 'ns');

  const entry = (claimed: ClaimedJob, outcome: 'delivered' | 'retrying' | 'failed') => ({
    delivery: claimed.job.id,
    eventId: claimed.job.eventId,
    event: claimed.job.type,
    origin: 'http://127.0.0.1:1',
    target: claimed.job.target,
    attempt: claimed.attempt,
    outcome,
    status: outcome === 'delivered' ? 200 : 500,
    error: null,
    durationMs: 1,
  });

  it('queues one delivery per URL, and two replicas claiming at once never take the same', async () => {
    const namespace = uniqueNamespace('webhook-queue');
    const [a, b] = [queueOf(namespace), queueOf(namespace)];
    for (let i = 0; i < 20; i++)
      await a.enqueue(write(`g${i}`), ['http://x.test/1', 'http://y.test/2'], null);
    expect(await a.pending()).toBe(40);
    const [fromA, fromB] = await Promise.all([a.claim(25, 60_000), b.claim(25, 60_000)]);
    const ids = [...fromA, ...fromB].map((claimed) => claimed.job.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    expect(await a.claim(25, 60_000)).toEqual([]); // all leased
  });

  it('gives a crashed claim to another replica once its lease ran out; the stale one cannot settle', async () => {
    const namespace = uniqueNamespace('webhook-lease');
    const [a, b] = [queueOf(namespace), queueOf(namespace)];
    await a.enqueue(write('g'), ['http://x.test/'], null);
    const [first] = await a.claim(1, 50); // "crashes" holding it
    const second = await waitFor('the lease to run out', async () => (await b.claim(1, 60_000))[0]);
    expect(second).toMatchObject({ job: { id: first.job.id }, attempt: 2 });
    expect(await a.settle(first, entry(first, 'delivered'), 0, 10)).toBe(false);
    expect(await b.settle(second, entry(second, 'delivered'), 0, 10)).toBe(true);
    expect(await b.pending()).toBe(0);
    expect((await b.deliveries(10)).map((e) => [e.attempt, e.outcome])).toEqual([[2, 'delivered']]);
  });

  it('a retry comes due after its delay; the log keeps the latest entries only', async () => {
    const namespace = uniqueNamespace('webhook-retry');
    const queue = queueOf(namespace);
    await queue.enqueue(write('g'), ['http://x.test/'], null);
    const [first] = await queue.claim(1, 60_000);
    expect(await queue.settle(first, entry(first, 'retrying'), 30, 2)).toBe(true);
    const again = await waitFor(
      'the retry to come due',
      async () => (await queue.claim(1, 60_000))[0],
    );
    expect(again.attempt).toBe(2);
    await queue.settle(again, entry(again, 'retrying'), 0, 2);
    const third = await waitFor('the next retry', async () => (await queue.claim(1, 60_000))[0]);
    await queue.settle(third, entry(third, 'failed'), 0, 2);
    const log = await queue.deliveries(10);
    expect(log.map((e) => [e.attempt, e.outcome])).toEqual([
      [3, 'failed'],
      [2, 'retrying'],
    ]);
    expect(Date.parse(log[0].at)).not.toBeNaN();
    expect(await queue.pending()).toBe(0);
  });
});
