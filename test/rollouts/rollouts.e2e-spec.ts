import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import Redis from 'ioredis';
import request from 'supertest';
import { authorizedApi, groupPath, startAdmin, TestAdmin } from '../admin/admin-app';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { OldProjectNode } from './old-project-node';
import { FleetNode, runs, startFleetNode, startFleetPublisher } from './rollout-fleet';

/**
 * Safe rollouts (DESIGN §13) end to end: the admin exactly as main.ts builds it, three nodes
 * running the example's validation and API-key client, one real Redis per suite, a namespace per
 * test.
 */
describe('rollouts (admin + 3 nodes on a real Redis)', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let publisher: Awaited<ReturnType<typeof startFleetPublisher>>;
  let store: ConfigGroupStore;
  let nodes: FleetNode[] = [];
  let oldNode: OldProjectNode;
  const api = authorizedApi(() => admin);
  const savedEnv = { ...process.env };
  const rollouts = (group = 'team-a') => `${groupPath(group)}/rollouts`;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  beforeEach(async () => {
    process.env.RCC_ROLLOUT_VERIFY_MS = '2000';
    process.env.RCC_ROLLOUT_TICK_MS = '50';
    const namespace = uniqueNamespace('rollout');
    admin = await startAdmin(redis, { redisConfig: { namespace } });
    await admin.app.init();
    publisher = await startFleetPublisher(redis, namespace);
    store = publisher.store;
    await store.publish('team-a', { apikey: 'AIza-stable', qps_limit: 5 });
    oldNode = new OldProjectNode(redis.port, namespace, 'team-a');
    nodes = await Promise.all(
      ['node-1', 'node-2', 'node-3'].map((id) => startFleetNode(redis, namespace, id)),
    );
    await waitFor(
      'three live holders of team-a',
      async () =>
        ((await api.get('/api/nodes')).body as { group: string | null }[]).filter(
          (node) => node.group === 'team-a',
        ).length === 3,
    );
  });

  afterEach(async () => {
    await oldNode?.stop();
    await Promise.all(nodes.map((node) => node.app.close()));
    await publisher?.app.close();
    await admin?.app.close();
    process.env = { ...savedEnv };
  });

  afterAll(async () => {
    await redis?.dispose();
  });

  const current = async () =>
    (await api.get(`${rollouts()}/current`).expect(200)).body as {
      id: string;
      status: string;
      step: number;
      canaryNodes: string[];
      problems: { nodeId: string; reason: string; at: string | null }[];
      revertedVersion: number | null;
      version: number;
      config: Record<string, unknown>;
    };

  /** Every (version → content) any node ran or the history holds: one content per number. */
  async function expectOneContentPerVersion(): Promise<void> {
    const contents = new Map<number, Set<string>>();
    const add = (version: number, config: unknown) => {
      const set = contents.get(version) ?? new Set<string>();
      set.add(JSON.stringify(config));
      contents.set(version, set);
    };
    for (const node of nodes)
      for (const event of node.seen)
        if (event.current) add(event.current.version, event.current.config);
    for (const entry of await store.history('team-a')) add(entry.version, entry.config);
    for (const [version, seen] of oldNode.seen)
      for (const json of seen) add(version, JSON.parse(json));
    for (const [version, set] of contents)
      expect({ version, contents: set.size }).toEqual({ version, contents: 1 });
  }

  it('a candidate that a node validate refuses is rejected with 422 and changes nothing', async () => {
    const response = await api
      .post(rollouts())
      .send({ config: { apikey: '', qps_limit: 5 }, steps: [{ percent: 34, bakeMs: 60000 }] })
      .expect(422);
    const problems = (response.body as { problems: { nodeId: string; reason: string }[] }).problems;
    expect(problems.map((p) => p.nodeId).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    for (const problem of problems)
      expect(problem.reason).toMatch(/apikey must be a non-empty string/);
    expect((await store.get('team-a'))?.version).toBe(0);
    for (const node of nodes) expect(runs(node)).toEqual({ version: 0, apikey: 'AIza-stable' });
    expect(nodes.flatMap((node) => node.seen)).toEqual([]);
    const view = await current();
    expect(view.status).toBe('rejected');
    expect(view.canaryNodes).toEqual([]);
    // The next rollout may start: a rejected one does not run.
    await api
      .post(rollouts())
      .send({ config: { apikey: 'AIza-next' } })
      .expect(201);
  });

  it('one step of 34 % moves exactly one of three nodes, the hash unchanged; promote moves all', async () => {
    const started = await api
      .post(rollouts())
      .send({
        config: { apikey: 'AIza-new', qps_limit: 5 },
        steps: [{ percent: 34, bakeMs: 600000 }],
      })
      .expect(201);
    const view = started.body as {
      status: string;
      canaryNodes: string[];
      version: number;
      config: Record<string, unknown>;
    };
    expect(view.status).toBe('canary');
    expect(view.version).toBe(1);
    expect(view.canaryNodes).toHaveLength(1);
    expect(view.config.apikey).toMatch(/^••••/); // masked like every config answer
    const [canaryId] = view.canaryNodes;
    const canary = nodes.find((node) => node.id === canaryId) as FleetNode;
    await waitFor('the canary runs the candidate', () => runs(canary).apikey === 'AIza-new');
    expect(canary.config.canary).toBe(true);
    expect(canary.seen.at(-1)?.reason).toBe('canary');
    const hash = await store.get('team-a');
    expect({ version: hash?.version, apikey: hash?.config.apikey }).toEqual({
      version: 0,
      apikey: 'AIza-stable',
    });
    for (const node of nodes.filter((n) => n !== canary)) {
      expect(runs(node)).toEqual({ version: 0, apikey: 'AIza-stable' });
      expect(node.config.canary).toBe(false);
    }

    expect(oldNode.contents().some((json) => json.includes('AIza-new'))).toBe(false);
    const promoted = await api.post(`${rollouts()}/current/promote`).expect(200);
    expect((promoted.body as { status: string }).status).toBe('promoted');
    // The list form: the latest rollout, as …/current shows it (masked).
    const listed = (await api.get(rollouts()).expect(200)).body as {
      status: string;
      version: number;
      config: { apikey: string };
    }[];
    expect(listed.map(({ status, version }) => ({ status, version }))).toEqual([
      { status: 'promoted', version: 1 },
    ]);
    expect(listed[0].config.apikey).toMatch(/^••••/);
    for (const node of nodes) {
      await waitFor(
        `${node.id} on version 1`,
        () => runs(node).version === 1 && runs(node).apikey === 'AIza-new',
      );
    }
    const written = await store.get('team-a');
    expect({ version: written?.version, apikey: written?.config.apikey }).toEqual({
      version: 1,
      apikey: 'AIza-new',
    });
    const history = await store.history('team-a');
    expect(history[0].comment).toContain((await current()).id);
    await waitFor('canary flag cleared', () => !canary.config.canary);
    const scraped = parsePrometheusText(
      (await request(admin.app.getHttpServer()).get('/metrics').expect(200)).text,
    );
    expect(sampleValue(scraped, 'rcc_rollouts', { status: 'promoted' })).toBe(1);
    expect(sampleValue(scraped, 'rcc_rollouts', { status: 'canary' })).toBe(0);
    await expectOneContentPerVersion();
  });

  it('steps run by themselves: each bake ends, the last one promotes', async () => {
    await api
      .post(rollouts())
      .send({
        config: { apikey: 'AIza-auto', qps_limit: 7 },
        steps: [
          { percent: 34, bakeMs: 100 },
          { percent: 67, bakeMs: 100 },
        ],
      })
      .expect(201);
    await waitFor('promoted', async () => (await current()).status === 'promoted', 10000);
    for (const node of nodes)
      await waitFor(`${node.id} on the candidate`, () => runs(node).version === 1);
    expect((await store.get('team-a'))?.config).toEqual({ apikey: 'AIza-auto', qps_limit: 7 });
    // The start is audited as a request, the moves the driver made on its own as the driver's.
    await waitFor('the audit entries', async () => {
      const entries = (await api.get('/api/audit?group=team-a')).body as {
        action: string;
        actor: string;
      }[];
      const seen = entries.map((entry) => `${entry.action} ${entry.actor}`);
      return (
        seen.includes('rollout-started tester') &&
        seen.includes('rollout-step rollout-driver') &&
        seen.includes('rollout-promoted rollout-driver')
      );
    });
    await expectOneContentPerVersion();
  });

  it('a revoked- key is rolled back before its bake ends and never reaches a stable node', async () => {
    const started = await api
      .post(rollouts())
      .send({
        config: { apikey: 'revoked-key', qps_limit: 5 },
        steps: [{ percent: 34, bakeMs: 600000 }],
      })
      .expect(201);
    const [canaryId] = (started.body as { canaryNodes: string[] }).canaryNodes;
    const view = (await waitFor('rolled back', async () => {
      const seen = await current();
      return seen.status === 'rolled-back' ? seen : null;
    }))!;
    expect(view.problems).toEqual([
      { nodeId: canaryId, reason: expect.stringMatching(/revoked/), at: expect.any(String) },
    ]);
    expect(view.revertedVersion).toBe(2);
    const canary = nodes.find((node) => node.id === canaryId) as FleetNode;
    for (const node of nodes) {
      await waitFor(`${node.id} on the stable content again`, () => runs(node).version === 2);
      expect(runs(node).apikey).toBe('AIza-stable');
    }
    expect(canary.seen.map((event) => event.reason)).toEqual(
      expect.arrayContaining(['canary', 'rollback']),
    );
    for (const node of nodes.filter((n) => n !== canary)) {
      expect(node.seen.some((event) => event.current?.config.apikey === 'revoked-key')).toBe(false);
    }
    // The old project's node saw the stable content only (and at the new number).
    expect(oldNode.contents().some((json) => json.includes('revoked-key'))).toBe(false);
    // The candidate's number (1) is burned: never in the hash, never in the history.
    const history = await store.history('team-a');
    expect(history.map((entry) => entry.version)).toEqual([2, 0]);
    expect(history[0].config).toEqual({ apikey: 'AIza-stable', qps_limit: 5 });
    await expectOneContentPerVersion();
  });

  it('one rollout at a time (409), stale expectedVersion (409), writes wait (409), abort', async () => {
    const started = await api
      .post(rollouts())
      .send({
        config: { apikey: 'AIza-1' },
        expectedVersion: 0,
        steps: [{ percent: 34, bakeMs: 600000 }],
      })
      .expect(201);
    const [canaryId] = (started.body as { canaryNodes: string[] }).canaryNodes;
    const second = await api
      .post(rollouts())
      .send({ config: { apikey: 'AIza-2' } })
      .expect(409);
    expect((second.body as { message: string }).message).toMatch(/already has a running rollout/);
    await api
      .put(groupPath('team-a'))
      .send({ config: { apikey: 'AIza-3' } })
      .expect(409);
    await api.delete(groupPath('team-a')).expect(409);
    await api
      .post('/api/import')
      .send([{ group_name: 'team-a', group_version: 0, config_dict: { apikey: 'AIza-imp' } }])
      .expect(409);
    const canary = nodes.find((node) => node.id === canaryId) as FleetNode;
    await waitFor('the canary runs the candidate', () => runs(canary).apikey === 'AIza-1');

    const aborted = await api.post(`${rollouts()}/current/abort`).expect(200);
    expect((aborted.body as { status: string }).status).toBe('aborted');
    await waitFor('the canary back on stable', () => runs(canary).apikey === 'AIza-stable');
    await api.post(`${rollouts()}/current/abort`).expect(409);
    await api.post(`${rollouts()}/current/promote`).expect(409);

    const version = (await store.get('team-a'))?.version as number;
    const stale = await api
      .post(rollouts())
      .send({ config: { apikey: 'AIza-4' }, expectedVersion: version - 1 })
      .expect(409);
    expect(stale.body).toMatchObject({ expectedVersion: version - 1, actualVersion: version });
    await expectOneContentPerVersion();
  });

  it('404 for an unknown group or none yet; 400 names each bad field', async () => {
    await api
      .post(rollouts('nope'))
      .send({ config: { apikey: 'x' } })
      .expect(404);
    await api.get(`${rollouts('nope')}/current`).expect(404);
    await api.get(`${rollouts()}/current`).expect(404);
    // As a list, "none yet" is no error (the console asks so): [] where …/current is 404.
    expect((await api.get(rollouts()).expect(200)).body).toEqual([]);
    await api.get(rollouts('nope')).expect(404);
    await api.post(`${rollouts()}/current/promote`).expect(404);
    const bad = await api
      .post(rollouts())
      .send({
        config: [1],
        steps: [
          { percent: 50, bakeMs: 10 },
          { percent: 20, bakeMs: -1 },
        ],
      })
      .expect(400);
    const fields = (bad.body as { problems: { field: string }[] }).problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['config', 'steps.1.bakeMs']));
    await api
      .post(rollouts())
      .send({ config: { a: 1 }, steps: [{ percent: 0, bakeMs: 1 }] })
      .expect(400);
    expect((await store.get('team-a'))?.version).toBe(0);
  });

  it('a live holder that does not answer in time rejects the rollout (422), naming it', async () => {
    // A lease and a heartbeat report of a node that holds team-a but runs nothing.
    const raw = new Redis(redis.port, '127.0.0.1');
    try {
      const [seconds] = await raw.time();
      const now = Number(seconds) * 1000;
      await raw.zadd(`{${admin.namespace}}:nodes`, now + 60_000, 'silent-node');
      await raw.hset(
        `{${admin.namespace}}:node-info`,
        'silent-node',
        JSON.stringify({
          id: 'silent-node',
          group: 'team-a',
          version: 0,
          holding: 'pinned',
          heartbeatAtMs: now,
        }),
      );
    } finally {
      await raw.quit();
    }
    const starting = api
      .post(rollouts())
      .send({ config: { apikey: 'AIza-ok' }, steps: [{ percent: 50, bakeMs: 60000 }] })
      .then((answer) => answer);
    await waitFor(
      'verifying',
      async () => (await api.get(`${rollouts()}/current`)).body?.status === 'verifying',
    );
    // Verification is never skipped, and a second rollout waits for this one.
    await api.post(`${rollouts()}/current/promote`).expect(409);
    await api
      .post(rollouts())
      .send({ config: { apikey: 'AIza-2' } })
      .expect(409);
    const response = await starting;
    expect(response.status).toBe(422);
    expect((response.body as { problems: unknown[] }).problems).toEqual([
      { nodeId: 'silent-node', reason: 'no answer within 2000 ms' },
    ]);
    for (const node of nodes) expect(runs(node)).toEqual({ version: 0, apikey: 'AIza-stable' });
    expect((await current()).status).toBe('rejected');
  });
});
