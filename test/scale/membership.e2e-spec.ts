import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import type Redis from 'ioredis';
import { startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { heardSince, ListeningNode, startListeningNode } from './heard';

/**
 * Membership messages of constant size (issue 12, DESIGN §6, §16): a leave tells the waiting
 * nodes (on `{ns}:places`) and, when it unbalances, the holders of one fullest group; nobody else
 * hears anything. Lease 30 s and refresh 60 s: every reaction below is pushed, none is an expiry.
 */
describe('membership messages (real Redis)', () => {
  let redis: RedisServer;
  let raw: Redis;
  const apps: INestApplicationContext[] = [];
  let store: ConfigGroupStore;

  beforeAll(async () => {
    redis = await RedisServer.start();
    raw = redis.client();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    raw.disconnect();
    await redis.dispose();
  });

  async function namespaceWith(groups: string[]) {
    const namespace = uniqueNamespace('members');
    const common = { redis: { url: redis.url }, namespace, refreshMs: 60_000, leaseMs: 30_000 };
    const publisher = await startPublisher(common);
    apps.push(publisher.app);
    store = publisher.store;
    for (const group of groups) await store.publish(group, { apikey: `key-of-${group}` });
    const nodes: ListeningNode[] = [];
    const start = async (nodeId: string, options: object = {}) => {
      const node = await startListeningNode({ ...common, nodeId, group: 'none', ...options });
      apps.push(node.app);
      nodes.push(node);
      return node;
    };
    const stop = async (node: ListeningNode) => {
      nodes.splice(nodes.indexOf(node), 1);
      apps.splice(apps.indexOf(node.app), 1);
      await node.app.close();
    };
    const loads = () =>
      groups.map(
        (group) => nodes.filter((node) => node.config.getConfigGroup()?.name === group).length,
      );
    return { namespace, keys: new ConfigKeys(namespace), nodes, start, stop, loads };
  }

  const spread = (loads: number[]) => Math.max(...loads) - Math.min(...loads);

  it('lets a waiting node take a freed place at once; only waiting nodes hear of it', async () => {
    const { keys, nodes, start, stop } = await namespaceWith(['x1', 'x2']);
    for (const id of ['w1', 'w2', 'w3']) await start(id, { pool: 'x*', maxNodesPerGroup: 1 });
    const waiting = nodes.filter((node) => node.config.holding === 'none');
    expect(waiting).toHaveLength(1);
    const places = async () =>
      Number(((await raw.call('PUBSUB', 'SHARDNUMSUB', keys.places)) as unknown[])[1]);
    await waitFor('the waiting node on the places channel', async () => (await places()) === 1);
    const [waiter] = waiting;
    const holders = nodes.filter((node) => node !== waiter);
    const heardBefore = holders.map((node) => node.heard.length);
    const leaving = holders[0];
    const freed = leaving.config.getConfigGroup()?.name;
    await stop(leaving);
    await waitFor(
      'the waiting node to take the freed place',
      () => waiter.config.getConfigGroup()?.name === freed,
    );
    expect(waiter.heard.map((m) => [m.type, m.group])).toContainEqual(['released', freed]);
    // The other holder heard nothing of it; the waiter, placed, left the places channel.
    expect(heardSince(holders[1], heardBefore[1])).toEqual([]);
    await waitFor('nobody on the places channel', async () => (await places()) === 0);
  });

  it('keeps max − min ≤ 1 after leaves, telling only one fullest group, with constant-size messages', async () => {
    const groups = ['b1', 'b2', 'b3', 'b4'];
    const { nodes, start, stop, loads } = await namespaceWith(groups);
    for (let i = 0; i < 11; i++) await start(`b-${i}`, { pool: 'b*' });
    expect(spread(loads())).toBeLessThanOrEqual(1);
    for (let round = 0; round < 4; round++) {
      // A node of a least loaded group leaves: that group falls two below the fullest.
      const least = Math.min(...loads());
      const group = groups[loads().indexOf(least)];
      const leaving = nodes.find((node) => node.config.getConfigGroup()?.name === group);
      if (!leaving) throw new Error(`no node holds ${group}`);
      const fullest = Math.max(...loads());
      const before = new Map(nodes.map((node) => [node, node.heard.length]));
      const groupOf = new Map(nodes.map((node) => [node, node.config.getConfigGroup()?.name]));
      await stop(leaving);
      await waitFor(`balance after leave ${round + 1}`, () => spread(loads()) <= 1, 10_000);
      const told = nodes.filter((node) => heardSince(node, before.get(node) ?? 0).length > 0);
      for (const node of told) {
        for (const message of heardSince(node, before.get(node) ?? 0)) {
          expect(message).toMatchObject({ type: 'rebalance', group: groupOf.get(node) });
          expect(message.message.length).toBeLessThan(64);
        }
      }
      // Told: only the holders of one group, and only when the leave unbalanced.
      const toldGroups = new Set(told.map((node) => groupOf.get(node)));
      if (fullest - (least - 1) >= 2) expect(toldGroups.size).toBe(1);
      else expect(told).toEqual([]);
    }
  });

  it('moves a placed node away when pinned nodes arrive on its group and leave it over-full', async () => {
    const groups = ['p1', 'p2', 'p3'];
    const { nodes, start, loads } = await namespaceWith(groups);
    for (let i = 0; i < 3; i++) await start(`p-${i}`, { pool: 'p*' });
    expect(loads()).toEqual([1, 1, 1]);
    const onP1 = nodes.find((node) => node.config.getConfigGroup()?.name === 'p1');
    if (!onP1) throw new Error('nobody on p1');
    const heardBefore = onP1.heard.length;
    // Two nodes asking for p1 are pinned there: p1 holds 3, the others 1. Nothing else happens
    // (no leave, no new group): only the arrival can ask p1's movable node to move.
    await start('pin-1', { group: 'p1', pool: 'p*' });
    await start('pin-2', { group: 'p1', pool: 'p*' });
    await waitFor(
      'the placed node to leave p1',
      () => onP1.config.getConfigGroup()?.name !== 'p1',
      10_000,
    );
    expect(heardSince(onP1, heardBefore).map((m) => m.type)).toContain('rebalance');
    // p1 keeps its two pinned nodes; the moved node went to one of the others.
    const [p1, ...others] = loads();
    expect(p1).toBe(2);
    expect(others.sort()).toEqual([1, 2]);
  });
});
