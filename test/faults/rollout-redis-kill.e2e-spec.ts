import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { authorizedApi, groupPath, startAdmin, TestAdmin } from '../admin/admin-app';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { ScriptCalls } from '../helpers/script-calls';
import { waitFor } from '../helpers/wait-for';
import { FleetNode, runs, startFleetNode, startFleetPublisher } from '../rollouts/rollout-fleet';

interface View {
  status: string;
  canaryNodes: string[];
  problems: { nodeId: string; reason: string }[];
}

/**
 * Redis SIGKILLed in the middle of a canary: every run ends in a defined state (promoted after
 * the bake resumes, or rolled back), and no node is left on a candidate that is neither promoted
 * nor running.
 */
describe('faults: Redis killed mid-canary', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let publisher: Awaited<ReturnType<typeof startFleetPublisher>>;
  let store: ConfigGroupStore;
  let nodes: FleetNode[] = [];
  const savedEnv = { ...process.env };
  const api = authorizedApi(() => admin);
  const path = `${groupPath('team-a')}/rollouts`;

  async function fleet(persistent: boolean): Promise<void> {
    process.env.RCC_ROLLOUT_TICK_MS = '50';
    redis = await RedisServer.start({ appendOnly: persistent });
    const namespace = uniqueNamespace('rollout-fault');
    admin = await startAdmin(redis, { redisConfig: { namespace } });
    await admin.app.init();
    publisher = await startFleetPublisher(redis, namespace);
    store = publisher.store;
    await store.publish('team-a', { apikey: 'AIza-stable', qps_limit: 5 });
    nodes = await Promise.all(
      ['f-1', 'f-2', 'f-3'].map((id) => startFleetNode(redis, namespace, id, { refreshMs: 300 })),
    );
    await waitFor('three holders', async () => {
      const listed = (await api.get('/api/nodes')).body as { group: string | null }[];
      return listed.filter((node) => node.group === 'team-a').length === 3;
    });
  }

  async function canaryOf(config: Record<string, unknown>, bakeMs: number): Promise<FleetNode> {
    const started = await api
      .post(path)
      .send({ config, steps: [{ percent: 34, bakeMs }] })
      .expect(201);
    const [id] = (started.body as View).canaryNodes;
    const canary = nodes.find((node) => node.id === id) as FleetNode;
    await waitFor('the canary on the candidate', () => runs(canary).apikey === config.apikey);
    return canary;
  }

  /** Every node runs the stable config, or the promoted one: never a dangling candidate. */
  function expectNoDanglingCandidate(promoted: string | null): void {
    for (const node of nodes) {
      expect([promoted, 'AIza-stable']).toContain(runs(node).apikey);
      expect(node.config.canary).toBe(false);
    }
  }

  afterEach(async () => {
    await Promise.all(nodes.map((node) => node.app.close()));
    await publisher?.app.close();
    await admin?.app.close();
    await redis?.dispose();
    process.env = { ...savedEnv };
  });

  it('with persistence: the bake resumes after Redis is back and the rollout is promoted', async () => {
    await fleet(true);
    const canary = await canaryOf({ apikey: 'AIza-new' }, 1500);
    const calls = nodes.map((node) => new ScriptCalls(node.app));
    await redis.kill();
    // The barrier: each node has tried its periodic call (refreshMs 300) three times and failed,
    // Redis away; a node that stopped working fails here.
    try {
      await Promise.all(calls.map((call) => call.next(3, 'failed')));
    } finally {
      for (const call of calls) call.restore();
    }
    // Nothing changes while Redis is away: reads answer from memory.
    expect(runs(canary).apikey).toBe('AIza-new');
    for (const node of nodes.filter((n) => n !== canary))
      expect(runs(node).apikey).toBe('AIza-stable');
    await redis.restart();
    await waitFor(
      'promoted',
      async () => ((await api.get(`${path}/current`)).body as View).status === 'promoted',
      20000,
    );
    for (const node of nodes)
      await waitFor(`${node.id} promoted`, () => runs(node).apikey === 'AIza-new', 10000);
    expectNoDanglingCandidate('AIza-new');
    expect((await store.history('team-a')).map((entry) => entry.version)).toEqual([1, 0]);
  });

  it('with persistence: a problem reported while Redis is down still rolls the rollout back', async () => {
    await fleet(true);
    const canary = await canaryOf({ apikey: 'AIza-flaky' }, 600000);
    await redis.kill();
    await canary.config.reportProblem('the provider refused the key');
    // Back on stable at once, Redis or not.
    expect(runs(canary).apikey).toBe('AIza-stable');
    await redis.restart();
    const view = await waitFor(
      'rolled back',
      async () => {
        const seen = (await api.get(`${path}/current`)).body as View;
        return seen.status === 'rolled-back' ? seen : null;
      },
      20000,
    );
    expect(view?.problems).toEqual([
      expect.objectContaining({ nodeId: canary.id, reason: 'the provider refused the key' }),
    ]);
    for (const node of nodes)
      await waitFor(`${node.id} on version 2`, () => runs(node).version === 2, 10000);
    expectNoDanglingCandidate(null);
  });

  it('without persistence: Redis comes back empty and the canary returns to its stable config', async () => {
    await fleet(false);
    const canary = await canaryOf({ apikey: 'AIza-lost' }, 600000);
    const calls = nodes.map((node) => new ScriptCalls(node.app));
    await redis.kill();
    // An outage every node has seen (one failed periodic call each), not a fixed time.
    try {
      await Promise.all(calls.map((call) => call.next(1, 'failed')));
    } finally {
      for (const call of calls) call.restore();
    }
    await redis.restart();
    await waitFor('the canary back on stable', () => runs(canary).apikey === 'AIza-stable', 10000);
    expectNoDanglingCandidate(null);
    // Nothing of the rollout survived: no running rollout to resume, none to promote by mistake.
    await api.get(`${path}/current`).expect(404);
  });
});
