import { AppProcess, builtEntry, ExampleConfigView as ConfigView } from '../blackbox/built-app';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

const TOKEN = 'shared-blackbox-token-0123456789';

/**
 * The built admin and two built example nodes following `common` (RCC_SHARED_GROUPS), over HTTP:
 * the effective config in GET /config, a PUT of the shared group pushed to both (refresh 60 s),
 * and `shared` in GET /config, GET /api/nodes and the group listing.
 */
describe('black box: shared groups through the built admin and example nodes', () => {
  let redis: RedisServer;
  let admin: AppProcess;
  const nodes: { process: AppProcess; url: string }[] = [];
  let adminUrl: string;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${adminUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });
  const put = (name: string, config: Record<string, unknown>) =>
    api(`/api/groups/${name}`, { method: 'PUT', body: JSON.stringify({ config }) });
  const view = async (index: number) =>
    (await (await fetch(`${nodes[index].url}/config`)).json()) as ConfigView;

  beforeAll(async () => {
    builtEntry('admin');
    builtEntry('example');
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url, RCC_NAMESPACE: uniqueNamespace('shared-blackbox') };
    const adminPort = await freePort();
    adminUrl = `http://127.0.0.1:${adminPort}`;
    admin = AppProcess.start('admin', {
      ...env,
      ADMIN_PORT: String(adminPort),
      ADMIN_TOKEN: TOKEN,
      LOG_FORMAT: 'text',
    });
    await admin.waitForHttp(`${adminUrl}/health`);
    expect((await put('common', { timeout_ms: 3000, qps_limit: 1 })).ok).toBe(true);
    expect((await put('team-a', { apikey: 'k-a', qps_limit: 5 })).ok).toBe(true);
    for (const id of ['shared-node-1', 'shared-node-2']) {
      const port = await freePort();
      const process = AppProcess.start(
        'example',
        {
          ...env,
          PORT: String(port),
          RCC_NODE_ID: id,
          DEFAULT_CONFIG_GROUP: 'team-a',
          RCC_SHARED_GROUPS: 'common',
          RCC_REFRESH_MS: '60000',
        },
        id,
      );
      nodes.push({ process, url: `http://127.0.0.1:${port}` });
      await process.waitForHttp(`http://127.0.0.1:${port}/config`);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...nodes.map((node) => node.process.stop()), admin?.stop()]);
    await redis?.dispose();
  });

  it('GET /config serves the effective config and names the shared groups', async () => {
    expect(await view(0)).toEqual({
      nodeId: 'shared-node-1',
      group: 'team-a',
      version: 0,
      config: { timeout_ms: 3000, qps_limit: 5, apikey: 'k-a' },
      pinned: true,
      shared: [{ name: 'common', version: 0 }],
      canary: false,
    });
    expect(await (await fetch(`${nodes[1].url}/config/timeout_ms`)).text()).toBe('3000');
  });

  it('pushes a PUT of the shared group to every node', async () => {
    expect((await put('common', { timeout_ms: 1500, region: 'eu' })).ok).toBe(true);
    for (const index of [0, 1]) {
      const seen = await waitFor(`node ${index + 1} on common v1`, async () => {
        const current = await view(index);
        return current.shared[0]?.version === 1 ? current : null;
      });
      expect(seen?.config).toEqual({ timeout_ms: 1500, region: 'eu', apikey: 'k-a', qps_limit: 5 });
    }
  });

  it('GET /api/nodes and GET /api/groups show who follows the shared group', async () => {
    const listed = await waitFor('both nodes reporting common v1', async () => {
      const body = (await (await api('/api/nodes')).json()) as ConfigView[];
      const reported = body.filter((node) => node.shared[0]?.version === 1);
      return reported.length === 2 ? body : null;
    });
    expect(listed?.map((node) => [node.group, node.shared])).toEqual([
      ['team-a', [{ name: 'common', version: 1 }]],
      ['team-a', [{ name: 'common', version: 1 }]],
    ]);
    const groups = (await (await api('/api/groups')).json()) as Record<string, unknown>[];
    expect(groups).toEqual([
      expect.objectContaining({ name: 'common', nodeCount: 0, sharedNodeCount: 2 }),
      expect.objectContaining({ name: 'team-a', nodeCount: 2, sharedNodeCount: 0 }),
    ]);
  });
});
