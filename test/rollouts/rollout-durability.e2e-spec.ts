import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import Redis from 'ioredis';
import { authorizedApi, groupPath, startAdmin, TestAdmin } from '../admin/admin-app';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { FleetNode, runs, startFleetNode, startFleetPublisher } from './rollout-fleet';

interface View {
  id: string;
  status: string;
  step: number;
  stepStartedAt: string | null;
  canaryNodes: string[];
}

/**
 * A rollout's state lives in Redis: an admin restarted mid-bake resumes it, two admins never
 * both advance it, a canary node restarted mid-rollout runs the candidate again, and pooled
 * groups with exclusive capacity (RCC_MAX_NODES_PER_GROUP=1) roll out like pinned ones.
 */
describe('rollouts: durable, single-driven, and for every kind of holder', () => {
  let redis: RedisServer;
  let namespace: string;
  let admins: TestAdmin[] = [];
  let publisher: Awaited<ReturnType<typeof startFleetPublisher>>;
  let store: ConfigGroupStore;
  let nodes: FleetNode[] = [];
  const savedEnv = { ...process.env };
  const path = (group = 'team-a') => `${groupPath(group)}/rollouts`;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  beforeEach(async () => {
    process.env.RCC_ROLLOUT_VERIFY_MS = '2000';
    process.env.RCC_ROLLOUT_TICK_MS = '50';
    namespace = uniqueNamespace('rollout-durable');
    publisher = await startFleetPublisher(redis, namespace);
    store = publisher.store;
    admins = [];
    nodes = [];
  });

  afterEach(async () => {
    await Promise.all(nodes.map((node) => node.app.close()));
    await Promise.all(admins.map((admin) => admin.app.close()));
    await publisher?.app.close();
    process.env = { ...savedEnv };
  });

  afterAll(async () => {
    await redis?.dispose();
  });

  async function admin(): Promise<TestAdmin> {
    const started = await startAdmin(redis, { redisConfig: { namespace } });
    await started.app.init();
    admins.push(started);
    return started;
  }

  async function holders(group: string, count: number, via: TestAdmin): Promise<void> {
    const api = authorizedApi(() => via);
    await waitFor(`${count} live holder(s) of ${group}`, async () => {
      const listed = (await api.get('/api/nodes')).body as { group: string | null }[];
      return listed.filter((node) => node.group === group).length === count;
    });
  }

  async function pinnedFleet(via: TestAdmin): Promise<void> {
    await store.publish('team-a', { apikey: 'AIza-stable', qps_limit: 5 });
    nodes = await Promise.all(
      ['node-1', 'node-2', 'node-3'].map((id) => startFleetNode(redis, namespace, id)),
    );
    await holders('team-a', 3, via);
  }

  it('an admin restarted in the middle of a bake resumes it from the stored times', async () => {
    const first = await admin();
    await pinnedFleet(first);
    const started = await authorizedApi(() => first)
      .post(path())
      .send({ config: { apikey: 'AIza-resumed' }, steps: [{ percent: 34, bakeMs: 1500 }] })
      .expect(201);
    const before = started.body as View;
    await first.app.close();
    admins = admins.filter((a) => a !== first);

    const second = await admin();
    const api = authorizedApi(() => second);
    const during = (await api.get(`${path()}/current`).expect(200)).body as View;
    expect({ status: during.status, stepStartedAt: during.stepStartedAt }).toEqual({
      status: 'canary',
      stepStartedAt: before.stepStartedAt,
    });
    await waitFor(
      'promoted by the second admin',
      async () => ((await api.get(`${path()}/current`)).body as View).status === 'promoted',
      15000,
    );
    for (const node of nodes)
      await waitFor(`${node.id} on the candidate`, () => runs(node).apikey === 'AIza-resumed');
    expect((await store.history('team-a')).map((entry) => entry.version)).toEqual([1, 0]);
  });

  it('two admins drive one rollout once: every step and the promotion happen exactly once', async () => {
    const [a, b] = [await admin(), await admin()];
    await pinnedFleet(a);
    const listener = new Redis(redis.port, '127.0.0.1');
    const moves: string[] = [];
    listener.on('message', (_channel: string, text: string) => {
      const message = JSON.parse(text) as { type: string; status: string; step: number };
      if (message.type === 'state') moves.push(`${message.status}:${message.step}`);
    });
    await listener.subscribe(`{${namespace}}:rollouts`);
    try {
      await authorizedApi(() => b)
        .post(path())
        .send({
          config: { apikey: 'AIza-twice?' },
          steps: [
            { percent: 34, bakeMs: 150 },
            { percent: 67, bakeMs: 150 },
            { percent: 100, bakeMs: 150 },
          ],
        })
        .expect(201);
      await waitFor(
        'promoted and written',
        async () =>
          ((await authorizedApi(() => a).get(`${path()}/current`)).body as View).status ===
            'promoted' && (await store.get('team-a'))?.version === 1,
        15000,
      );
      await waitFor('the last move heard', () => moves.length >= 5);
      expect(moves).toEqual(['canary:1', 'canary:2', 'canary:3', 'promoted:3', 'promoted:3']);
      expect((await store.history('team-a')).map((entry) => entry.version)).toEqual([1, 0]);
    } finally {
      await listener.quit();
    }
  });

  it('a canary node restarted mid-rollout runs the candidate again; a new holder gets stable', async () => {
    const via = await admin();
    await pinnedFleet(via);
    const api = authorizedApi(() => via);
    const started = await api
      .post(path())
      .send({ config: { apikey: 'AIza-canary' }, steps: [{ percent: 34, bakeMs: 600000 }] })
      .expect(201);
    const [canaryId] = (started.body as View).canaryNodes;
    const canary = nodes.find((node) => node.id === canaryId) as FleetNode;
    await waitFor('canary on the candidate', () => runs(canary).apikey === 'AIza-canary');
    await canary.app.close();
    nodes = nodes.filter((node) => node !== canary);

    const again = await startFleetNode(redis, namespace, canaryId);
    nodes.push(again);
    // Bootstrap waited for the rollout check: the first reads already see the candidate.
    expect(runs(again)).toEqual({ version: 1, apikey: 'AIza-canary' });
    expect(again.config.canary).toBe(true);

    const newcomer = await startFleetNode(redis, namespace, 'node-late');
    nodes.push(newcomer);
    expect(runs(newcomer)).toEqual({ version: 0, apikey: 'AIza-stable' });
    await api.post(`${path()}/current/abort`).expect(200);
    await waitFor(
      'the restarted canary back on stable',
      () => runs(again).apikey === 'AIza-stable',
    );
  });

  it('pooled groups with RCC_MAX_NODES_PER_GROUP=1: the one holder is the canary', async () => {
    const via = await admin();
    for (const name of ['key-1', 'key-2', 'key-3'])
      await store.publish(name, { apikey: `AIza-${name}`, qps_limit: 5 });
    nodes = await Promise.all(
      ['pool-1', 'pool-2', 'pool-3'].map((id) =>
        startFleetNode(redis, namespace, id, { group: 'none', pool: 'key-*', maxNodesPerGroup: 1 }),
      ),
    );
    await holders('key-2', 1, via);
    const holder = nodes.find(
      (node) => node.config.getConfigGroup()?.name === 'key-2',
    ) as FleetNode;
    const api = authorizedApi(() => via);

    const revoked = await api
      .post(path('key-2'))
      .send({ config: { apikey: 'revoked-2' }, steps: [{ percent: 10, bakeMs: 600000 }] })
      .expect(201);
    expect((revoked.body as View).canaryNodes).toEqual([holder.id]);
    await waitFor(
      'rolled back',
      async () =>
        ((await api.get(`${path('key-2')}/current`)).body as View).status === 'rolled-back',
    );
    await waitFor('holder on the stable key', () => runs(holder).apikey === 'AIza-key-2');

    await api
      .post(path('key-2'))
      .send({ config: { apikey: 'AIza-key-2b' }, steps: [{ percent: 50, bakeMs: 600000 }] })
      .expect(201);
    await waitFor('holder on the candidate', () => runs(holder).apikey === 'AIza-key-2b');
    expect(holder.config.holding).toBe('assigned');
    await api.post(`${path('key-2')}/current/promote`).expect(200);
    await waitFor(
      'hash written',
      async () => (await store.get('key-2'))?.config.apikey === 'AIza-key-2b',
    );
    // Burned 1 (rolled back, stable written at 2), promoted at 3.
    expect((await store.history('key-2')).map((entry) => entry.version)).toEqual([3, 2, 0]);
    for (const node of nodes.filter((n) => n !== holder))
      expect(node.seen.some((event) => event.current?.name === 'key-2')).toBe(false);
  });
});
