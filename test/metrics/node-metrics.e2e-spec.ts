import type { INestApplicationContext } from '@nestjs/common';
import type { ConfigGroupService } from '@rcc/redis-config';
import type { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { Registry } from 'prom-client';
import request from 'supertest';
import { startAdmin, TestAdmin } from '../admin/admin-app';
import { startNode, startPublisher } from '../helpers/config-node';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

/**
 * A node's metrics (`metrics: { registry }`) on a real Redis, read with the strict text parser:
 * versions, publish → applied, reloads by reason, rejections, Redis and lease state; and the
 * admin counting the node that refused a version as behind.
 */
describe('node metrics', () => {
  let redis: RedisServer;
  const apps: INestApplicationContext[] = [];
  let admin: TestAdmin | null = null;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await admin?.app.close();
    admin = null;
  });

  afterAll(async () => {
    await redis?.dispose();
  });

  /** Refuses a group whose `apikey` is empty (the example node's rule). */
  const validate = (config: Readonly<Record<string, unknown>>) => {
    if (config.apikey === '') throw new Error('apikey must not be empty');
  };

  async function node(namespace: string, registry: Registry, group = 'metered') {
    const started = await startNode({
      redis: { url: redis.url },
      namespace,
      nodeId: `metrics-node-${group}`,
      group,
      refreshMs: 60_000,
      metrics: { registry },
      validate,
    });
    apps.push(started.app);
    return started.config;
  }

  async function publisher(namespace: string): Promise<ConfigGroupStore> {
    const started = await startPublisher({ redis: { url: redis.url }, namespace });
    apps.push(started.app);
    return started.store;
  }

  const scrape = async (registry: Registry) => parsePrometheusText(await registry.metrics());
  const atVersion = (config: ConfigGroupService, version: number) =>
    waitFor(`the node at version ${version}`, () => config.getConfigGroup()?.version === version);

  it('measures publish → applied for each pushed version, and counts reloads by reason', async () => {
    const namespace = uniqueNamespace('node-metrics');
    const store = await publisher(namespace);
    await store.publish('metered', { apikey: 'k0' });
    const registry = new Registry();
    const config = await node(namespace, registry);
    for (let version = 1; version <= 3; version++) {
      await store.publish('metered', { apikey: `k${version}` });
      await atVersion(config, version); // one at a time: each version is applied on its own
    }
    const families = await scrape(registry);
    expect(families.get('rcc_node_publish_to_applied_seconds')?.type).toBe('histogram');
    expect(sampleValue(families, 'rcc_node_publish_to_applied_seconds_count')).toBe(3);
    expect(sampleValue(families, 'rcc_node_publish_to_applied_seconds_sum')).toBeGreaterThanOrEqual(
      0,
    );
    expect(sampleValue(families, 'rcc_node_config_version', { group: 'metered' })).toBe(3);
    expect(sampleValue(families, 'rcc_node_reloads_total', { reason: 'loaded' })).toBe(1);
    expect(sampleValue(families, 'rcc_node_reloads_total', { reason: 'updated' })).toBe(3);
    expect(sampleValue(families, 'rcc_node_rejections_total')).toBe(0);
    expect(sampleValue(families, 'rcc_node_problems_total')).toBe(0);
    expect(sampleValue(families, 'rcc_node_redis_connected')).toBe(1);
    expect(sampleValue(families, 'rcc_node_lease_state', { state: 'pinned' })).toBe(1);
    expect(sampleValue(families, 'rcc_node_lease_state', { state: 'assigned' })).toBe(0);
  });

  it('counts a refused version; the admin counts that node as behind its group', async () => {
    const namespace = uniqueNamespace('node-rejects');
    admin = await startAdmin(redis, { redisConfig: { namespace } });
    const api = () => request(admin!.app.getHttpServer());
    await api()
      .put('/api/groups/strict')
      .set('Authorization', admin.auth)
      .send({ config: { apikey: 'k' } })
      .expect(200);
    const registry = new Registry();
    const config = await node(namespace, registry, 'strict');
    const rejected = new Promise((resolve) => {
      const stop = config.onChange((event) => event.reason === 'rejected' && resolve(stop()));
    });
    await api()
      .put('/api/groups/strict')
      .set('Authorization', admin.auth)
      .send({ config: { apikey: '' } })
      .expect(200);
    await rejected;

    const node_ = await scrape(registry);
    expect(sampleValue(node_, 'rcc_node_rejections_total')).toBe(1);
    expect(sampleValue(node_, 'rcc_node_config_version', { group: 'strict' })).toBe(0);
    expect(sampleValue(node_, 'rcc_node_publish_to_applied_seconds_count')).toBe(0);

    const adminScrape = async () =>
      parsePrometheusText((await api().get('/metrics').expect(200)).text);
    await waitFor('the admin to count the node behind', async () => {
      return sampleValue(await adminScrape(), 'rcc_group_nodes_behind', { group: 'strict' }) === 1;
    });
    const behind = await adminScrape();
    expect(sampleValue(behind, 'rcc_group_nodes', { group: 'strict' })).toBe(1);
    expect(sampleValue(behind, 'rcc_group_latest_version', { group: 'strict' })).toBe(1);
  });

  it('registers a second node of one registry nowhere, and frees the names when closed', async () => {
    const namespace = uniqueNamespace('node-registry');
    const store = await publisher(namespace);
    await store.publish('shared-registry', { apikey: 'k' });
    const registry = new Registry();
    await node(namespace, registry, 'shared-registry');
    await node(namespace, registry, 'shared-registry'); // says so in its log; starts anyway
    expect(
      sampleValue(await scrape(registry), 'rcc_node_reloads_total', { reason: 'loaded' }),
    ).toBe(1);
    await apps.pop()!.close(); // the second: the first's series stay
    expect(sampleValue(await scrape(registry), 'rcc_node_redis_connected')).toBe(1);
    await Promise.all(apps.splice(0).map((app) => app.close()));
    expect(await registry.getMetricsAsJSON()).toEqual([]);
  });
});
