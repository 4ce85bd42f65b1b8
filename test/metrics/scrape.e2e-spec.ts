import { AppProcess, builtEntry } from '../blackbox/built-app';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

const TOKEN = 'scrape-admin-token-0123456789';
const METRICS_TOKEN = 'scrape-metrics-token-0123456789';
const GROUP = 'scraped';

/**
 * The built admin and example node as Prometheus scrapes them: both `/metrics` pages parse with
 * the strict text-format parser and hold the figures of DESIGN §15.
 */
describe('GET /metrics of the built admin and example node', () => {
  let redis: RedisServer;
  let admin: AppProcess;
  let example: AppProcess;
  let adminUrl: string;
  let exampleUrl: string;

  beforeAll(async () => {
    builtEntry('admin');
    builtEntry('example');
    redis = await RedisServer.start();
    const namespace = uniqueNamespace('scrape');
    const [adminPort, examplePort] = [await freePort(), await freePort()];
    adminUrl = `http://127.0.0.1:${adminPort}`;
    exampleUrl = `http://127.0.0.1:${examplePort}`;
    const common = { REDIS_URL: redis.url, RCC_NAMESPACE: namespace };
    admin = AppProcess.start('admin', {
      ...common,
      ADMIN_PORT: String(adminPort),
      ADMIN_TOKEN: TOKEN,
      ADMIN_MICROSERVICE: 'false',
      METRICS_TOKEN,
      LOG_FORMAT: 'text',
    });
    await admin.waitForHttp(`${adminUrl}/health`);
    expect((await publish({ apikey: 'k0' })).status).toBe(200);
    example = AppProcess.start('example', {
      ...common,
      PORT: String(examplePort),
      RCC_NODE_ID: 'scraped-node',
      DEFAULT_CONFIG_GROUP: GROUP,
      RCC_REFRESH_MS: '60000',
      RCC_METRICS: 'true',
    });
    await example.waitForHttp(`${exampleUrl}/config`);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([example?.stop(), admin?.stop()]);
    await redis?.dispose();
  });

  function publish(config: Record<string, unknown>): Promise<Response> {
    return fetch(`${adminUrl}/api/groups/${GROUP}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ config }),
    });
  }

  async function scrape(url: string, token?: string) {
    const response = await fetch(`${url}/metrics`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  }

  const nodeVersion = async () =>
    ((await (await fetch(`${exampleUrl}/config`)).json()) as { version: number }).version;

  it('the example node: version, publish → applied histogram, reloads, Redis and lease state', async () => {
    for (let version = 1; version <= 3; version++) {
      expect((await publish({ apikey: `k${version}` })).status).toBe(200);
      await waitFor(
        `the node at version ${version}`,
        async () => (await nodeVersion()) === version,
      );
    }
    const families = await scrape(exampleUrl);
    expect(families.get('rcc_node_publish_to_applied_seconds')?.type).toBe('histogram');
    expect(sampleValue(families, 'rcc_node_publish_to_applied_seconds_count')).toBe(3);
    expect(
      sampleValue(families, 'rcc_node_publish_to_applied_seconds_bucket', { le: '+Inf' }),
    ).toBe(3);
    expect(sampleValue(families, 'rcc_node_config_version', { group: GROUP })).toBe(3);
    expect(sampleValue(families, 'rcc_node_reloads_total', { reason: 'loaded' })).toBe(1);
    expect(sampleValue(families, 'rcc_node_reloads_total', { reason: 'updated' })).toBe(3);
    expect(sampleValue(families, 'rcc_node_rejections_total')).toBe(0);
    expect(sampleValue(families, 'rcc_node_problems_total')).toBe(0);
    expect(sampleValue(families, 'rcc_node_redis_connected')).toBe(1);
    expect(sampleValue(families, 'rcc_node_lease_state', { state: 'pinned' })).toBe(1);
    expect(families.has('process_cpu_user_seconds_total')).toBe(true); // the user's own metrics
  });

  it('the admin: behind METRICS_TOKEN (not ADMIN_TOKEN), with the fleet, writes and requests', async () => {
    expect((await fetch(`${adminUrl}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${adminUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } }))
        .status,
    ).toBe(401);
    // The node reports the version it runs with its next heartbeat (at once after a change).
    let families = await scrape(adminUrl, METRICS_TOKEN);
    await waitFor('the node on the latest version in the admin', async () => {
      families = await scrape(adminUrl, METRICS_TOKEN);
      const holders = sampleValue(families, 'rcc_group_nodes', { group: GROUP });
      return (
        holders === 1 && sampleValue(families, 'rcc_group_nodes_behind', { group: GROUP }) === 0
      );
    });
    expect(sampleValue(families, 'rcc_groups')).toBe(1);
    expect(sampleValue(families, 'rcc_group_latest_version', { group: GROUP })).toBe(3);
    expect(sampleValue(families, 'rcc_admin_writes_total', { kind: 'published' })).toBe(4);
    expect(sampleValue(families, 'rcc_admin_writes_total', { kind: 'deleted' })).toBe(0);
    expect(sampleValue(families, 'rcc_admin_redis_connected')).toBe(1);
    expect(sampleValue(families, 'rcc_webhook_deliveries_total', { outcome: 'delivered' })).toBe(0);
    // One series per status, 0 while no group has had a rollout.
    expect(families.get('rcc_rollouts')?.samples).toHaveLength(6);
    expect(sampleValue(families, 'rcc_rollouts', { status: 'canary' })).toBe(0);
    expect(
      sampleValue(families, 'rcc_admin_http_request_duration_seconds_count', {
        method: 'PUT',
        route: '/api/groups/:name',
        status: '200',
      }),
    ).toBe(4);
  });
});
