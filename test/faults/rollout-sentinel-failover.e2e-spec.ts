import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupService } from '@rcc/redis-config';
import { resolveOptions } from '@rcc/redis-config/publisher';
import { validateExampleConfig } from '../../apps/example/src/example-config.validation';
import { authorizedApi, groupPath, startAdmin, TestAdmin } from '../admin/admin-app';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisSentinelGroup, SENTINEL_MASTER_NAME } from '../helpers/redis-sentinel';
import { uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

interface View {
  status: string;
  canaryNodes: string[];
}

/**
 * A Sentinel failover in the middle of a canary: the rollout ends in a defined state on the new
 * master (promoted once its bake resumes, or gone with the writes the replica had not received),
 * and no node keeps a candidate that is neither promoted nor running.
 */
describe('faults: Sentinel failover mid-canary', () => {
  let sentinel: RedisSentinelGroup;
  let admin: TestAdmin;
  const apps: INestApplicationContext[] = [];
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    sentinel = await RedisSentinelGroup.start();
  }, 30_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await admin?.app.close();
    await sentinel?.dispose();
    process.env = savedEnv;
  });

  it('ends promoted everywhere, or with every node back on its stable config', async () => {
    process.env.RCC_ROLLOUT_TICK_MS = '50';
    const namespace = uniqueNamespace('rollout-sentinel');
    const { redis } = resolveOptions(
      {},
      { REDIS_SENTINELS: sentinel.sentinelsEnv, REDIS_SENTINEL_NAME: SENTINEL_MASTER_NAME },
    );
    const connection = redis.kind === 'sentinel' ? redis.options : {};
    admin = await startAdmin(sentinel.master, { redisConfig: { namespace, redis: connection } });
    await admin.app.init();
    const api = authorizedApi(() => admin);
    const publisher = await startPublisher({ redis: connection, namespace });
    apps.push(publisher.app);
    await publisher.store.publish('team-a', { apikey: 'AIza-stable' });
    const nodes: { id: string; config: ConfigGroupService }[] = [];
    for (const nodeId of ['s-1', 's-2', 's-3']) {
      const node = await startNode({
        redis: connection,
        namespace,
        group: 'team-a',
        nodeId,
        refreshMs: 300,
        validate: validateExampleConfig,
      });
      apps.push(node.app);
      nodes.push({ id: nodeId, config: node.config });
    }
    await waitFor('three holders', async () => {
      const listed = (await api.get('/api/nodes')).body as { group: string | null }[];
      return listed.filter((node) => node.group === 'team-a').length === 3;
    });
    const started = await api
      .post(`${groupPath('team-a')}/rollouts`)
      .send({ config: { apikey: 'AIza-failover' }, steps: [{ percent: 34, bakeMs: 2500 }] })
      .expect(201);
    const [canaryId] = (started.body as View).canaryNodes;
    const canary = nodes.find((node) => node.id === canaryId);
    await waitFor(
      'canary on the candidate',
      () => canary?.config.get('apikey') === 'AIza-failover',
    );

    const oldMaster = sentinel.master.port;
    await sentinel.master.kill();
    await waitFor(
      'the sentinels to promote the replica',
      async () => (await sentinel.masterPort()) !== oldMaster,
      30_000,
    );
    // Defined end: promoted (all nodes on it), or no running rollout (all nodes stable).
    const end = await waitFor(
      'a defined end',
      async () => {
        const response = await api.get(`${groupPath('team-a')}/rollouts/current`);
        const status = response.status === 200 ? (response.body as View).status : 'gone';
        const apikeys = nodes.map((node) => node.config.get('apikey'));
        if (status === 'promoted' && apikeys.every((key) => key === 'AIza-failover')) return status;
        if (
          !['verifying', 'canary', 'promoted'].includes(status) &&
          apikeys.every((key) => key === 'AIza-stable')
        )
          return status;
        return null;
      },
      30_000,
      100,
    );
    expect(['promoted', 'gone', 'rolled-back', 'aborted']).toContain(end);
    for (const node of nodes) expect(node.config.canary).toBe(false);
  }, 90_000);
});
