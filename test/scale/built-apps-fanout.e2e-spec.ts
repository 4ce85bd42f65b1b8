import type Redis from 'ioredis';
import { AppProcess, builtEntry, ExampleConfigView } from '../blackbox/built-app';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

const TOKEN = 'scale-blackbox-token-0123456789ab';
/** A record of about 4 KB, as in issue 12's measurement. */
const config = (seq: number) => ({ apikey: `k-${seq}`, pad: 'z'.repeat(4000) });

/**
 * Issue 12's figure with the built admin and built example nodes: the bytes Redis sends for one
 * publish of `g1` (2 holders) do not grow with the nodes that hold other groups — 2 of them, then
 * 22 — within 1.25× (it was 6× with one channel for the whole namespace). Bytes are Redis's own
 * `total_net_output_bytes`, around each PUT; long leases and refreshes keep the other nodes quiet,
 * and a history of 3 keeps the admin's read-back of it the same size in both.
 */
describe('black box: bytes per publish with 2 and 22 nodes on other groups', () => {
  let redis: RedisServer;
  let raw: Redis;
  let admin: AppProcess;
  let adminUrl: string;
  const processes: AppProcess[] = [];
  let env: Record<string, string>;
  const holders: string[] = [];

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${adminUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });
  const put = async (name: string, body: Record<string, unknown>) => {
    const response = await api(`/api/groups/${name}`, {
      method: 'PUT',
      body: JSON.stringify({ config: body }),
    });
    expect(response.ok).toBe(true);
  };
  const bytesOut = async () =>
    Number(/total_net_output_bytes:(\d+)/.exec(await raw.info('stats'))?.[1] ?? NaN);

  const startNode = async (id: string, group: string) => {
    const port = await freePort();
    const child = AppProcess.start(
      'example',
      { ...env, PORT: String(port), RCC_NODE_ID: id, DEFAULT_CONFIG_GROUP: group },
      id,
    );
    processes.push(child);
    await child.waitForHttp(`http://127.0.0.1:${port}/config`);
    return `http://127.0.0.1:${port}`;
  };

  /** Median bytes Redis sent for one PUT of g1, once both holders applied it. */
  async function bytesPerPublish(from: number): Promise<number> {
    const samples: number[] = [];
    const infoOnly = -(await bytesOut()) + (await bytesOut());
    for (let seq = from; seq < from + 5; seq++) {
      const before = await bytesOut();
      await put('g1', config(seq));
      await waitFor('both holders on the new version', async () => {
        const views = await Promise.all(
          holders.map(
            async (url) => (await (await fetch(`${url}/config`)).json()) as ExampleConfigView,
          ),
        );
        return views.every((view) => view.config.apikey === `k-${seq}`);
      });
      samples.push((await bytesOut()) - before - infoOnly);
    }
    return samples.sort((a, b) => a - b)[2];
  }

  beforeAll(async () => {
    builtEntry('admin');
    builtEntry('example');
    redis = await RedisServer.start();
    raw = redis.client();
    env = {
      REDIS_URL: redis.url,
      RCC_NAMESPACE: uniqueNamespace('scale-blackbox'),
      RCC_REFRESH_MS: '600000',
      RCC_LEASE_MS: '600000',
      // The admin reads a group's history back after a write: kept at 3, it weighs the same in
      // both measurements (it would grow with each publish otherwise, not with the nodes).
      RCC_HISTORY_LIMIT: '3',
    };
    const adminPort = await freePort();
    adminUrl = `http://127.0.0.1:${adminPort}`;
    admin = AppProcess.start('admin', {
      ...env,
      ADMIN_PORT: String(adminPort),
      ADMIN_TOKEN: TOKEN,
      LOG_FORMAT: 'text',
    });
    await admin.waitForHttp(`${adminUrl}/health`);
    for (let i = 1; i <= 22; i++) await put(`o${i}`, config(0));
    for (let seq = -4; seq <= 0; seq++) await put('g1', config(seq));
    holders.push(await startNode('holder-1', 'g1'), await startNode('holder-2', 'g1'));
    for (let i = 1; i <= 2; i++) await startNode(`other-${i}`, `o${i}`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...processes.map((child) => child.stop()), admin?.stop()]);
    raw?.disconnect();
    await redis?.dispose();
  });

  it('sends as many bytes per publish with 22 other nodes as with 2 (within 1.25×)', async () => {
    const withTwo = await bytesPerPublish(1);
    for (let i = 3; i <= 22; i += 5) {
      await Promise.all(
        Array.from({ length: Math.min(5, 23 - i) }, (_, k) =>
          startNode(`other-${i + k}`, `o${i + k}`),
        ),
      );
    }
    const withTwentyTwo = await bytesPerPublish(10);
    process.stdout.write(
      `built apps: ${withTwo} bytes per publish of g1 with 2 other nodes, ${withTwentyTwo} with 22 ` +
        `(${(withTwentyTwo / withTwo).toFixed(2)}×)\n`,
    );
    // Each holder gets the ~4 KB record once: at least 2 × 4 KB, whatever else.
    expect(withTwo).toBeGreaterThan(8000);
    expect(withTwentyTwo / withTwo).toBeLessThanOrEqual(1.25);
  }, 120_000);
});
