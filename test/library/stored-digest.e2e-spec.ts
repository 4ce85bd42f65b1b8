import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { AssignmentScripts } from '@rcc/redis-config/assignment/assignment-scripts';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { withScripts } from '@rcc/redis-config/wire/redis-scripts';
import { startPublisher } from '../helpers/config-node';
import { MonitoredCommand, RedisMonitor } from '../helpers/redis-monitor';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * DESIGN §16: the periodic check compares a digest stored at write time (`{ns}:digests`), so its
 * cost does not grow with the group; a write made round the scripts (the old project's plain
 * HSET / HDEL) is found when the stored digest is re-verified, at most once per refresh per group.
 */
describe('the periodic check reads stored digests (real Redis)', () => {
  let redis: RedisServer;
  let raw: Redis;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    raw = redis.client();
  });
  afterAll(async () => {
    for (const close of closers.splice(0)) await close();
    raw.disconnect();
    await redis.dispose();
  });

  async function setup() {
    const namespace = uniqueNamespace('digest');
    const keys = new ConfigKeys(namespace);
    const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
    closers.push(() => publisher.app.close());
    await publisher.store.publish('g', { k: 'v'.repeat(4000) });
    const client = withScripts(raw.duplicate());
    closers.push(() => client.quit());
    /** A check as a node with this refresh makes it (its heartbeat carries it). */
    const check = async (refreshMs: number) => {
      const scripts = new AssignmentScripts(client, keys, 10_000, refreshMs);
      const request = { nodeId: 'n1', held: 'g', requested: 'g', shared: ['g'] };
      return (await scripts.heartbeat('n1', null, request)).check!;
    };
    return { keys, namespace, check, publisher };
  }

  it('is the SHA-1 of the stored record, written by the publish, with no read of the record', async () => {
    const { keys, namespace, check } = await setup();
    const stored = (await raw.hget(namespace, 'g')) as string;
    expect((await raw.hget(keys.digests, 'g'))?.slice(0, 40)).toBe(sha1(stored));

    const commands: MonitoredCommand[] = [];
    const monitor = await RedisMonitor.start(redis.port, (command) => commands.push(command));
    try {
      for (let i = 0; i < 5; i++) {
        const result = await check(60_000);
        expect(result.digest).toBe(sha1(stored));
        expect(result.shared).toEqual([sha1(stored)]);
      }
      await raw.ping();
    } finally {
      await monitor.stop();
    }
    const recordReads = commands.filter(
      ({ source, args }) =>
        source === 'lua' && args[0].toLowerCase() === 'hget' && args[1] === namespace,
    );
    expect(commands.some(({ args }) => args[0].toLowerCase() === 'evalsha')).toBe(true);
    expect(recordReads).toEqual([]);
  });

  it('finds a plain HSET and a plain HDEL once the stored digest is older than the refresh', async () => {
    const { keys, namespace, check } = await setup();
    const stored = (await raw.hget(namespace, 'g')) as string;
    const foreign = JSON.stringify({ group_name: 'g', group_version: 7, config_dict: { k: 'py' } });
    await raw.hset(namespace, 'g', foreign);
    // Within the refresh the stored digest stands (the write went round the scripts).
    expect((await check(60_000)).digest).toBe(sha1(stored));
    // Older than the refresh (0 ms here): the record is hashed again, the digest stamped again.
    expect((await check(0)).digest).toBe(sha1(foreign));
    expect((await raw.hget(keys.digests, 'g'))?.slice(0, 40)).toBe(sha1(foreign));
    expect((await check(60_000)).digest).toBe(sha1(foreign));

    await raw.hdel(namespace, 'g');
    const gone = await check(0);
    expect(gone).toMatchObject({ digest: null, requestedExists: false, shared: [null] });
    expect(await raw.hexists(keys.digests, 'g')).toBe(0);
  });

  it('drops the digest with the group (delete script)', async () => {
    const { keys, publisher } = await setup();
    expect(await raw.hexists(keys.digests, 'g')).toBe(1);
    await publisher.store.delete('g');
    expect(await raw.hexists(keys.digests, 'g')).toBe(0);
  });
});
