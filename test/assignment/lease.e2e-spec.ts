import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupStore, NodeRegistry } from '@rcc/redis-config/publisher';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { NodeProcess } from './node-process';

/** Leases: a node that dies silently frees its place after its lease; one that restarts gets it back. */
describe('node leases (child processes killed with SIGKILL, real Redis)', () => {
  let redis: RedisServer;
  const apps: INestApplicationContext[] = [];
  const processes: NodeProcess[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((child) => child.kill()));
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await redis.dispose();
  });

  async function setup(groups: string[], leaseMs: number) {
    const namespace = uniqueNamespace('lease');
    const common = {
      redis: { url: redis.url },
      namespace,
      refreshMs: 60_000,
      leaseMs,
      maxNodesPerGroup: 1,
    };
    const publisher = await startPublisher(common);
    apps.push(publisher.app);
    for (const group of groups) await publisher.store.publish(group, { apikey: `key-${group}` });
    return { common, store: publisher.store as ConfigGroupStore };
  }

  async function node(options: Parameters<typeof startNode>[0]) {
    const started = await startNode(options);
    apps.push(started.app);
    return started;
  }

  it('frees the place of a killed node after its lease, and a waiting node takes it', async () => {
    const leaseMs = 600;
    const { common } = await setup(['only'], leaseMs);
    const child = await NodeProcess.start({ ...common, nodeId: 'doomed' });
    processes.push(child);
    expect(child.group).toBe('only');
    const waiting = await node({ ...common, nodeId: 'waiting' });
    expect(waiting.config.getConfigGroup()).toBeNull();

    const registry = waiting.app.get(NodeRegistry);
    expect((await registry.list()).map((info) => info.id)).toEqual(['doomed', 'waiting']);

    await child.kill();
    // Its last heartbeat, as Redis stamped it (the lease runs from there).
    const doomed = (await registry.list()).find((info) => info.id === 'doomed');
    const lastHeartbeat = Date.parse(doomed?.heartbeatAt ?? '');
    await waitFor(
      'the waiting node to take the place',
      () => waiting.config.getConfigGroup(),
      5000,
    );
    const elapsed = Date.now() - lastHeartbeat;
    process.stdout.write(
      `SIGKILL -> place taken ${elapsed} ms after the last heartbeat (lease ${leaseMs} ms)\n`,
    );
    // Not before the lease ran out; and at once after (the waiting node wakes at the expiry,
    // instead of at its next heartbeat, up to a third of a lease later).
    expect(elapsed).toBeGreaterThanOrEqual(leaseMs - 5);
    expect(elapsed).toBeLessThan(leaseMs + leaseMs / 3);
    expect(waiting.config.getConfigGroup()?.name).toBe('only');
    expect((await registry.list()).map((info) => info.id)).toEqual(['waiting']);
  });

  it('gives a node restarted with the same id its group back while its lease lives', async () => {
    const { common } = await setup(['a', 'b'], 10_000);
    const first = await NodeProcess.start({ ...common, nodeId: 'restarting' });
    processes.push(first);
    expect(['a', 'b']).toContain(first.group);
    await first.kill();

    // Another node starts meanwhile: the killed node's place is still leased, so it gets the other.
    const other = await node({ ...common, nodeId: 'other' });
    const otherGroup = other.config.getConfigGroup()?.name;
    expect(otherGroup).toBe(first.group === 'a' ? 'b' : 'a');

    const again = await node({ ...common, nodeId: 'restarting' });
    expect(again.config.getConfigGroup()?.name).toBe(first.group);
    expect(again.config.holding).toBe('assigned');
  });

  it('reports each node, its group and version to the registry, and forgets it on shutdown', async () => {
    const { common, store } = await setup(['a'], 10_000);
    const pinned = await node({ ...common, nodeId: 'pinned', group: 'a' });
    const waiting = await node({ ...common, nodeId: 'waiting' });
    await store.publish('a', { apikey: 'v1' });
    const registry = waiting.app.get(NodeRegistry);
    await waitFor('the registry to show version 1', async () => {
      const nodes = await registry.list();
      return nodes.find((info) => info.id === 'pinned')?.version === 1;
    });
    const [first, second] = await registry.list();
    expect(first).toMatchObject({
      id: 'pinned',
      requestedGroup: 'a',
      group: 'a',
      version: 1,
      holding: 'pinned',
    });
    expect(second).toMatchObject({ id: 'waiting', group: null, version: null, holding: 'none' });
    expect(Date.parse(first.leaseExpiresAt) - Date.parse(first.heartbeatAt)).toBe(10_000);
    expect(first.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    await pinned.app.close();
    apps.splice(apps.indexOf(pinned.app), 1);
    expect((await registry.list()).map((info) => info.id)).toEqual(['waiting']);
  });
});
