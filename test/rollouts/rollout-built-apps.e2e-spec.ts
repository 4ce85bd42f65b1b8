import { AppProcess, builtEntry, ExampleConfigView } from '../blackbox/built-app';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

const TOKEN = 'rollout-blackbox-token-0123456789';

type ConfigView = ExampleConfigView & { canary: boolean };

interface View {
  status: string;
  canaryNodes: string[];
  problems: { nodeId: string; reason: string }[];
}

/**
 * The built admin and three built example nodes (their validation and their API-key client that
 * reports a `revoked-` key), over HTTP only: a refused candidate, a revoked key rolled back before
 * its bake ends, and one step of 34 % then promotion, seen in each node's `GET /config`.
 */
describe('black box: rollouts through the built admin and example nodes', () => {
  let redis: RedisServer;
  let admin: AppProcess;
  const nodes: { id: string; process: AppProcess; url: string }[] = [];
  let adminUrl: string;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${adminUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });
  const start = (body: unknown) =>
    api('/api/groups/team-a/rollouts', { method: 'POST', body: JSON.stringify(body) });
  const current = async () =>
    (await (await api('/api/groups/team-a/rollouts/current')).json()) as View;
  const view = async (url: string) => (await (await fetch(`${url}/config`)).json()) as ConfigView;
  /** Every node's `GET /config` apikey, polled while a rollout runs: what a stable node served. */
  const served = new Map<string, Set<unknown>>();

  beforeAll(async () => {
    builtEntry('admin');
    builtEntry('example');
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url, RCC_NAMESPACE: uniqueNamespace('rollout-blackbox') };
    const adminPort = await freePort();
    adminUrl = `http://127.0.0.1:${adminPort}`;
    admin = AppProcess.start('admin', {
      ...env,
      ADMIN_PORT: String(adminPort),
      ADMIN_TOKEN: TOKEN,
      LOG_FORMAT: 'text',
      RCC_ROLLOUT_TICK_MS: '50',
    });
    await admin.waitForHttp(`${adminUrl}/health`);
    const put = await api('/api/groups/team-a', {
      method: 'PUT',
      body: JSON.stringify({ config: { apikey: 'AIza-stable', qps_limit: 5 } }),
    });
    expect(put.ok).toBe(true);
    for (const id of ['box-1', 'box-2', 'box-3']) {
      const port = await freePort();
      const process = AppProcess.start(
        'example',
        { ...env, PORT: String(port), RCC_NODE_ID: id, DEFAULT_CONFIG_GROUP: 'team-a' },
        id,
      );
      nodes.push({ id, process, url: `http://127.0.0.1:${port}` });
    }
    for (const node of nodes) await node.process.waitForHttp(`${node.url}/config`);
    await waitFor('three holders', async () => {
      const listed = (await (await api('/api/nodes')).json()) as { group: string | null }[];
      return listed.filter((node) => node.group === 'team-a').length === 3;
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...nodes.map((node) => node.process.stop()), admin?.stop()]);
    await redis?.dispose();
  });

  it('a candidate the example nodes refuse is 422 with each node, and nothing changes', async () => {
    const response = await start({ config: { apikey: 'AIza-x', qps_limit: 0 } });
    expect(response.status).toBe(422);
    const body = (await response.json()) as View;
    expect(body.problems.map((p) => p.nodeId).sort()).toEqual(['box-1', 'box-2', 'box-3']);
    expect(body.problems[0].reason).toMatch(/qps_limit must be an integer ≥ 1/);
    for (const node of nodes) expect((await view(node.url)).version).toBe(0);
  });

  it('a revoked- key is rolled back before its bake ends; no stable node ever served it', async () => {
    let polling = true;
    const poll = (async () => {
      while (polling) {
        for (const node of nodes) {
          const seen = await view(node.url);
          const set = served.get(node.id) ?? new Set();
          set.add(seen.config.apikey);
          served.set(node.id, set);
        }
      }
    })();
    try {
      const response = await start({
        config: { apikey: 'revoked-box', qps_limit: 5 },
        steps: [{ percent: 34, bakeMs: 600000 }],
      });
      expect(response.status).toBe(201);
      const [canaryId] = ((await response.json()) as View).canaryNodes;
      const ended = await waitFor('rolled back', async () => {
        const seen = await current();
        return seen.status === 'rolled-back' ? seen : null;
      });
      expect(ended?.problems).toEqual([
        expect.objectContaining({ nodeId: canaryId, reason: expect.stringMatching(/revoked/) }),
      ]);
      for (const node of nodes) {
        await waitFor(`${node.id} on stable v2`, async () => {
          const seen = await view(node.url);
          return seen.version === 2 && seen.config.apikey === 'AIza-stable' && !seen.canary;
        });
      }
      polling = false;
      await poll;
      for (const node of nodes.filter((n) => n.id !== canaryId))
        expect([...(served.get(node.id) ?? [])]).toEqual(['AIza-stable']);
    } finally {
      polling = false;
      await poll;
    }
  });

  it('one step of 34 %: one canary (GET /config canary: true), then promotion everywhere', async () => {
    const response = await start({
      config: { apikey: 'AIza-next', qps_limit: 6 },
      steps: [{ percent: 34, bakeMs: 600000 }],
    });
    expect(response.status).toBe(201);
    const [canaryId] = ((await response.json()) as View).canaryNodes;
    const canary = nodes.find((node) => node.id === canaryId) as (typeof nodes)[number];
    await waitFor('the canary serves the candidate', async () => (await view(canary.url)).canary);
    for (const node of nodes.filter((n) => n !== canary))
      expect(await view(node.url)).toMatchObject({ version: 2, canary: false });
    const group = (await (await api('/api/groups/team-a?reveal=true')).json()) as {
      version: number;
    };
    expect(group.version).toBe(2);
    const promoted = await api('/api/groups/team-a/rollouts/current/promote', { method: 'POST' });
    expect(promoted.status).toBe(200);
    for (const node of nodes) {
      await waitFor(`${node.id} on v3`, async () => {
        const seen = await view(node.url);
        return seen.version === 3 && seen.config.apikey === 'AIza-next' && !seen.canary;
      });
    }
  });
});
