import { Cluster } from 'ioredis';
import { authorizedApi, groupPath, startAdmin, TestAdmin } from '../admin/admin-app';
import { RedisCluster } from '../helpers/redis-cluster';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { FleetNode, runs } from './rollout-fleet';
import { startNode } from '../helpers/config-node';
import { validateExampleConfig } from '../../apps/example/src/example-config.validation';
import { ApiKeyClient } from '../../apps/example/src/api-key.client';

interface View {
  status: string;
  canaryNodes: string[];
}

/**
 * Rollouts on a three-master Redis Cluster: every rollout key shares the namespace's slot (the
 * Lua scripts would fail with CROSSSLOT otherwise), and the rollouts channel reaches nodes
 * connected to other masters.
 */
describe('rollouts on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let admin: TestAdmin;
  const nodes: FleetNode[] = [];
  const namespace = uniqueNamespace('rollout-cluster');
  const api = authorizedApi(() => admin);
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    process.env.RCC_ROLLOUT_TICK_MS = '50';
    cluster = await RedisCluster.start();
    // startAdmin wants a server for its default URL; the cluster option replaces it.
    admin = await startAdmin({ url: 'redis://127.0.0.1:1' } as RedisServer, {
      redisConfig: { namespace, redis: { clusterNodes: cluster.nodes } },
    });
    await admin.app.init();
    await api
      .put(groupPath('team-a'))
      .send({ config: { apikey: 'AIza-stable' } })
      .expect(200);
    for (const [index, node] of cluster.nodes.entries()) {
      const id = `cl-${index}`;
      const { app, config } = await startNode(
        {
          redis: { clusterNodes: [node] },
          namespace,
          nodeId: id,
          group: 'team-a',
          refreshMs: 500,
          validate: validateExampleConfig,
        },
        [ApiKeyClient],
      );
      nodes.push({ id, app, config, seen: [] });
    }
    // The subscriptions are made after bootstrap: wait for them (a push test must).
    const raw = new Cluster(cluster.nodes);
    try {
      await waitFor('every node on the rollouts channel', async () => {
        const counts = await Promise.all(
          raw
            .nodes('master')
            .map((master) => master.call('PUBSUB', 'NUMSUB', `{${namespace}}:rollouts`)),
        );
        return counts.reduce<number>((sum, reply) => sum + Number((reply as unknown[])[1]), 0) >= 3;
      });
    } finally {
      raw.disconnect();
    }
    await waitFor('three holders', async () => {
      const listed = (await api.get('/api/nodes')).body as { group: string | null }[];
      return listed.filter((node) => node.group === 'team-a').length === 3;
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.app.close()));
    await admin?.app.close();
    await cluster?.dispose();
    process.env = savedEnv;
  });

  it('verifies, runs a canary, rolls a revoked key back and promotes a good one', async () => {
    await api
      .post(`${groupPath('team-a')}/rollouts`)
      .send({ config: { apikey: '' } })
      .expect(422);
    const revoked = await api
      .post(`${groupPath('team-a')}/rollouts`)
      .send({ config: { apikey: 'revoked-cl' }, steps: [{ percent: 34, bakeMs: 600000 }] })
      .expect(201);
    expect((revoked.body as View).canaryNodes).toHaveLength(1);
    await waitFor(
      'rolled back',
      async () =>
        ((await api.get(`${groupPath('team-a')}/rollouts/current`)).body as View).status ===
        'rolled-back',
    );
    for (const node of nodes)
      await waitFor(`${node.id} on stable v2`, () => runs(node).version === 2);
    await api
      .post(`${groupPath('team-a')}/rollouts`)
      .send({ config: { apikey: 'AIza-cl' }, steps: [{ percent: 34, bakeMs: 100 }] })
      .expect(201);
    for (const node of nodes)
      await waitFor(
        `${node.id} promoted`,
        () => runs(node).apikey === 'AIza-cl' && runs(node).version === 3,
      );
  });
});
