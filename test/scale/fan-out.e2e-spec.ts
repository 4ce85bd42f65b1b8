import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { RedisConfigConnection } from '@rcc/redis-config/connection/redis-config-connection';
import type Redis from 'ioredis';
import { startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { heardSince, ListeningNode, startListeningNode } from './heard';

/** A record of about 1 KB: large enough that carrying it to a node that does not need it shows. */
const bulky = (tag: string, seq: number) => ({ apikey: `${tag}-${seq}`, pad: 'x'.repeat(1000) });

/**
 * Fan-out proportional to holders (issue 12, DESIGN §16): a node hears its own and shared groups'
 * events, constant-size messages, nothing else; it follows its group across a move and a reconnect.
 * Refresh is 60 s everywhere: whatever a node applies below was pushed, not polled.
 */
describe('per-group event channels (real Redis 7, sharded pub/sub)', () => {
  let redis: RedisServer;
  let raw: Redis;
  const apps: INestApplicationContext[] = [];
  let store: ConfigGroupStore;
  let namespace: string;
  let common: { redis: { url: string }; namespace: string; refreshMs: number };

  const start = async (nodeId: string, options: object): Promise<ListeningNode> => {
    const node = await startListeningNode({ ...common, nodeId, ...options });
    apps.push(node.app);
    return node;
  };

  beforeAll(async () => {
    redis = await RedisServer.start();
    raw = redis.client();
    namespace = uniqueNamespace('fanout');
    common = { redis: { url: redis.url }, namespace, refreshMs: 60_000 };
    const publisher = await startPublisher(common);
    apps.push(publisher.app);
    store = publisher.store;
    for (const group of ['g1', 'g2', 'g3', 'g4', 'common', 'k1', 'k2'])
      await store.publish(group, bulky(group, 0));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    raw.disconnect();
    await redis.dispose();
  });

  it('sends a node the records of the groups it holds or shares, and no other', async () => {
    const a = await start('a', { group: 'g1' });
    const b = await start('b', { group: 'g2' });
    const c = await start('c', { group: 'g3', sharedGroups: ['common'] });
    for (let seq = 1; seq <= 3; seq++) {
      for (const group of ['g1', 'g2', 'g3', 'g4', 'common'])
        await store.publish(group, bulky(group, seq));
    }
    await waitFor('every node at the last versions', () =>
      [a, b, c].every((node) => node.config.getConfigGroup()?.version === 3),
    );
    await waitFor('c to hear its 6 publishes', () => c.heard.length >= 6);
    const groupsHeard = (node: ListeningNode) => [
      ...new Set(node.heard.filter((m) => m.message.includes('"record"')).map((m) => m.group)),
    ];
    expect(groupsHeard(a)).toEqual(['g1']);
    expect(groupsHeard(b)).toEqual(['g2']);
    expect(groupsHeard(c).sort()).toEqual(['common', 'g3']);
    // Every message a node heard is of its own groups: 3 publishes each, nothing else.
    expect(a.heard.map((m) => [m.type, m.group])).toEqual(Array(3).fill(['published', 'g1']));
    expect(c.heard.map((m) => m.group).sort()).toEqual([
      ...Array(3).fill('common'),
      ...Array(3).fill('g3'),
    ]);
    // Redis agrees: one sharded subscriber per group channel.
    const keys = new ConfigKeys(namespace);
    const counts = (await raw.call(
      'PUBSUB',
      'SHARDNUMSUB',
      keys.groupEvents('g1'),
      keys.groupEvents('g4'),
      keys.groupEvents('common'),
    )) as (string | number)[];
    expect(counts.filter((_, i) => i % 2 === 1).map(Number)).toEqual([1, 0, 1]);
  });

  it('tells every node of a new group with a message of constant size, record left out', async () => {
    const a = await start('a2', { group: 'g1' });
    const from = a.heard.length;
    await store.publish('brand-new', bulky('brand-new', 0));
    await waitFor('the created message', () => heardSince(a, from).length === 1);
    const [message] = heardSince(a, from);
    expect(message).toMatchObject({ type: 'created', group: 'brand-new' });
    expect(message.message).toBe('{"v":2,"type":"created","group":"brand-new"}');
  });

  it('follows its group across a move: the new group is pushed, the old one is not heard', async () => {
    const mover = await start('mover', { group: 'none-such', pool: 'k*' });
    const first = mover.config.getConfigGroup()?.name as string;
    expect(['k1', 'k2']).toContain(first);
    const other = first === 'k1' ? 'k2' : 'k1';
    await store.delete(first);
    await waitFor(
      'the move to the other group',
      () => mover.config.getConfigGroup()?.name === other,
    );
    const version = mover.config.getConfigGroup()?.version as number;
    const from = mover.heard.length;
    await store.publish(other, bulky(other, 1));
    await waitFor(
      'the new group pushed',
      () => mover.config.getConfigGroup()?.version === version + 1,
    );
    // The group it left, created again: a constant-size `created`, never its records.
    await store.publish(first, bulky(first, 9));
    await store.publish(first, bulky(first, 10));
    await store.publish(other, bulky(other, 2));
    await waitFor('the next push', () => mover.config.getConfigGroup()?.version === version + 2);
    const heard = heardSince(mover, from);
    expect(heard.filter((m) => m.message.includes('"record"')).map((m) => m.group)).toEqual([
      other,
      other,
    ]);
    expect(heard.filter((m) => m.group === first).map((m) => m.type)).toEqual(['created']);
  });

  it('follows its group across a reconnect of its subscriber: a change made meanwhile is caught up', async () => {
    const node = await start('reconnect', { group: 'g4' });
    const version = node.config.getConfigGroup()?.version as number;
    const channel = new ConfigKeys(namespace).groupEvents('g4');
    const subscribers = async () =>
      Number(((await raw.call('PUBSUB', 'SHARDNUMSUB', channel)) as unknown[])[1]);
    expect(await subscribers()).toBe(1);
    // Its subscriber is cut, and a change is published before it is back.
    const subscriberPort = (node.app.get(RedisConfigConnection).subscriber as Redis).stream
      .localPort;
    await raw.client('KILL', 'ADDR', `127.0.0.1:${subscriberPort}`);
    await store.publish('g4', bulky('g4', 100));
    await waitFor(
      'the change made while cut off',
      () => node.config.getConfigGroup()?.version === version + 1,
    );
    // And pushes go on after it is back.
    await waitFor('the subscriber back', async () => (await subscribers()) === 1);
    await store.publish('g4', bulky('g4', 101));
    await waitFor('the next push', () => node.config.getConfigGroup()?.version === version + 2);
  });
});

describe('plain pub/sub when {ns}:protocol says so (the Redis 6 path, forced)', () => {
  let redis: RedisServer;
  let raw: Redis;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    raw = redis.client();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    raw.disconnect();
    await redis.dispose();
  });

  it('publishes and hears the group channels with PUBLISH / SUBSCRIBE, same fan-out', async () => {
    const namespace = uniqueNamespace('plain');
    const keys = new ConfigKeys(namespace);
    await raw.hset(keys.protocol, 'pubsub', 'plain');
    const common = { redis: { url: redis.url }, namespace, refreshMs: 60_000 };
    const publisher = await startPublisher(common);
    apps.push(publisher.app);
    await publisher.store.publish('p1', bulky('p1', 0));
    await publisher.store.publish('p2', bulky('p2', 0));
    const node = await startListeningNode({ ...common, nodeId: 'plain-1', group: 'p1' });
    apps.push(node.app);
    await publisher.store.publish('p2', bulky('p2', 1));
    await publisher.store.publish('p1', bulky('p1', 1));
    await waitFor('the push', () => node.config.getConfigGroup()?.version === 1);
    expect(node.heard.map((m) => [m.channel, m.type, m.group])).toEqual([
      [keys.groupEvents('p1'), 'published', 'p1'],
    ]);
    const plain = (await raw.call('PUBSUB', 'NUMSUB', keys.groupEvents('p1'))) as unknown[];
    const sharded = (await raw.call('PUBSUB', 'SHARDNUMSUB', keys.groupEvents('p1'))) as unknown[];
    expect([Number(plain[1]), Number(sharded[1])]).toEqual([1, 0]);
  });
});
