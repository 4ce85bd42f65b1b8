import type { INestApplicationContext } from '@nestjs/common';
import type { ConfigGroupService } from '@rcc/redis-config';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

/**
 * The forged-event risk of docs/SECURITY.md, shown on real nodes: whoever may (S)PUBLISH on
 * `{ns}:events:<group>` can send a record that hashes to its own digest. A node that takes records from
 * events (the default) applies it until its periodic check finds the hash's SHA-1 differs and
 * reads the stored group back; a node with `RCC_EVENT_INLINE_BYTES=0` reads every change back
 * and never runs the forged content.
 */
jest.setTimeout(60_000);

describe('a forged change event (real Redis, real nodes)', () => {
  let redis: RedisServer;
  let raw: Redis;
  const apps: INestApplicationContext[] = [];
  let namespace: string;

  beforeAll(async () => {
    redis = await RedisServer.start();
    raw = redis.client();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    raw?.disconnect();
    await redis?.dispose();
  });

  /** An event as a publisher sends it, with a record nobody stored. */
  const forge = async (config: Record<string, unknown>, version: number) => {
    const record = JSON.stringify({
      group_name: 'target',
      group_version: version,
      config_dict: config,
    });
    const digest = createHash('sha1').update(record).digest('hex');
    const message = `{"type":"published","group":"target","version":${version},"digest":"${digest}","record":${record}}`;
    // On the group's channel, as the publish script sends it (sharded pub/sub on Redis 7).
    return raw.spublish(`{${namespace}}:events:target`, message);
  };

  const node = async (refreshMs: number, eventInlineMaxBytes?: number) => {
    const started = await startNode({
      redis: { url: redis.url },
      namespace,
      group: 'target',
      refreshMs,
      ...(eventInlineMaxBytes === undefined ? {} : { eventInlineMaxBytes }),
    });
    apps.push(started.app);
    return started.config;
  };

  it('is applied by a node taking records from events, until its periodic check restores the stored group', async () => {
    namespace = uniqueNamespace('forged');
    const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
    apps.push(publisher.app);
    await publisher.store.publish('target', { apikey: 'real-key-0123456789' });
    // A slow check: the forged record stays applied while nothing looks at the hash.
    const trusting: ConfigGroupService = await node(60_000);
    const checking: ConfigGroupService = await node(60_000, 0);
    const seenByChecking: unknown[] = [];
    checking.onChange((event) => seenByChecking.push(event.current?.config.apikey));
    expect(trusting.get('apikey')).toBe('real-key-0123456789');

    expect(await forge({ apikey: 'attacker-key' }, 1)).toBe(2);
    await waitFor(
      'the trusting node to apply the forged record',
      () => trusting.get('apikey') === 'attacker-key',
    );
    // The real version 1 is then taken for one it already runs: only the check repairs it.
    await publisher.store.publish('target', { apikey: 'next-real-key-0123456789' });
    await waitFor(
      'the checking node to apply the real version 1',
      () => checking.get('apikey') === 'next-real-key-0123456789',
    );
    expect(trusting.get('apikey')).toBe('attacker-key');
    await trusting.refresh(); // what the periodic check (RCC_REFRESH_MS) does
    expect(trusting.get('apikey')).toBe('next-real-key-0123456789');
    // The node reading every change back never ran the forged content.
    expect(seenByChecking).toEqual(['next-real-key-0123456789']);
  });

  it('never reaches a node with RCC_EVENT_INLINE_BYTES=0, however many are sent', async () => {
    namespace = uniqueNamespace('forged-off');
    const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
    apps.push(publisher.app);
    await publisher.store.publish('target', { apikey: 'real-key-0123456789' });
    const checking = await node(60_000, 0);
    const changes: unknown[] = [];
    checking.onChange((event) => changes.push(event.current?.config.apikey));
    for (let version = 1; version <= 20; version += 1)
      await forge({ apikey: 'attacker-key' }, version);
    // A real publish after them is applied: the forged ones were each read back and dropped.
    await publisher.store.publish('target', { apikey: 'next-real-key-0123456789' });
    await waitFor(
      'the real version 1',
      () => checking.get('apikey') === 'next-real-key-0123456789',
    );
    expect(changes).toEqual(['next-real-key-0123456789']);
  });
});
