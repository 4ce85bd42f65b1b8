import { INestApplicationContext } from '@nestjs/common';
import { firstValueFrom, filter } from 'rxjs';
import { ConfigChangeEvent, ConfigGroupService } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

describe('change propagation (two nodes and a publisher on a real Redis)', () => {
  let redis: RedisServer;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await redis.dispose();
  });

  async function setup(group = 'payments', refreshMs = 60_000) {
    const namespace = uniqueNamespace('propagation');
    const common = { redis: { url: redis.url }, namespace, refreshMs };
    const publisher = await startPublisher(common);
    apps.push(publisher.app);
    await publisher.store.publish(group, { apikey: 'k0', timeout_ms: 3000 });
    const nodes: ConfigGroupService[] = [];
    for (const nodeId of ['node-a', 'node-b']) {
      const node = await startNode({ ...common, nodeId, group });
      apps.push(node.app);
      nodes.push(node.config);
    }
    return { store: publisher.store as ConfigGroupStore, nodes, namespace };
  }

  it('loads the group before bootstrap ends', async () => {
    const { nodes } = await setup();
    for (const node of nodes) {
      expect(node.getConfigGroup()).toEqual({
        name: 'payments',
        version: 0,
        config: { apikey: 'k0', timeout_ms: 3000 },
      });
      expect(node.pinned).toBe(true);
    }
  });

  it('pushes a publish to every node, with the changed keys', async () => {
    const { store, nodes } = await setup();
    const seen = nodes.map((node) =>
      firstValueFrom(node.changes$.pipe(filter((e: ConfigChangeEvent) => e.reason === 'updated'))),
    );
    const started = process.hrtime.bigint();
    await store.publish('payments', { apikey: 'k1', timeout_ms: 3000, region: 'sg' });
    const events = await Promise.all(seen);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    // The refresh period is 60 s here: only the push can have delivered it this fast.
    expect(elapsedMs).toBeLessThan(5000);
    process.stdout.write(`publish -> 2 nodes applied in ${elapsedMs.toFixed(1)} ms\n`);
    for (const [index, event] of events.entries()) {
      expect(event.previous?.version).toBe(0);
      expect(event.current).toEqual({
        name: 'payments',
        version: 1,
        config: { apikey: 'k1', timeout_ms: 3000, region: 'sg' },
      });
      expect(event.changedKeys).toEqual(['apikey', 'region']);
      expect(nodes[index].get('apikey')).toBe('k1');
    }
  });

  it('gives 50 concurrent publishes 50 distinct consecutive versions', async () => {
    const { store } = await setup();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.publish('payments', { apikey: `k${i}` })),
    );
    const versions = results.map((r) => r.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await store.get('payments'))?.version).toBe(50);
  });

  it('refuses a stale expectedVersion and changes nothing', async () => {
    const { store } = await setup();
    await store.publish('payments', { apikey: 'k1' }, { expectedVersion: 0 });
    await expect(
      store.publish('payments', { apikey: 'lost' }, { expectedVersion: 0 }),
    ).rejects.toMatchObject({
      name: 'ConfigVersionConflictError',
      expectedVersion: 0,
      actualVersion: 1,
    });
    expect(await store.get('payments')).toMatchObject({ version: 1, config: { apikey: 'k1' } });
  });

  it('picks up a plain HSET in the old project format at the next refresh', async () => {
    const { nodes, namespace } = await setup('legacy', 100);
    const raw = redis.client();
    try {
      await raw.hset(
        namespace,
        'legacy',
        JSON.stringify({
          group_name: 'legacy',
          group_version: 1,
          config_dict: { apikey: 'from-python' },
        }),
      );
      await waitFor(
        'both nodes to read the HSET',
        () => nodes.every((n) => n.get('apikey') === 'from-python'),
        3000,
      );
      expect(nodes[0].getConfigGroup()?.version).toBe(1);
    } finally {
      raw.disconnect();
    }
  });
});
