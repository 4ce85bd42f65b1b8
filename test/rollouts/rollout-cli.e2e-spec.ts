import type { AddressInfo } from 'node:net';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { startAdmin, TEST_TOKEN, TestAdmin } from '../admin/admin-app';
import { runCli } from '../cli/run-cli';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { FleetNode, runs, startFleetNode, startFleetPublisher } from './rollout-fleet';

/** `rcc rollout …` (the built CLI) against a listening admin and three nodes. */
describe('rcc rollout (built CLI → admin REST)', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let publisher: Awaited<ReturnType<typeof startFleetPublisher>>;
  let store: ConfigGroupStore;
  let nodes: FleetNode[] = [];
  let env: Record<string, string>;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    redis = await RedisServer.start();
    process.env.RCC_ROLLOUT_TICK_MS = '50';
    const namespace = uniqueNamespace('rollout-cli');
    admin = await startAdmin(redis, { redisConfig: { namespace } });
    await admin.app.listen(0, '127.0.0.1');
    const { port } = admin.app.getHttpServer().address() as AddressInfo;
    env = { ADMIN_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN: TEST_TOKEN };
    publisher = await startFleetPublisher(redis, namespace);
    store = publisher.store;
    await store.publish('team-a', { apikey: 'AIza-stable', qps_limit: 5 });
    nodes = await Promise.all(
      ['cli-1', 'cli-2', 'cli-3'].map((id) => startFleetNode(redis, namespace, id)),
    );
    const registry = admin.app.get((await import('@rcc/redis-config/publisher')).NodeRegistry);
    await waitFor(
      'three holders',
      async () => (await registry.list()).filter((n) => n.group === 'team-a').length === 3,
    );
  });

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.app.close()));
    await publisher?.app.close();
    await admin?.app.close();
    await redis?.dispose();
    process.env = savedEnv;
  });

  it('start follows the steps with progress until promoted (exit 0)', async () => {
    const run = await runCli(
      ['rollout', 'start', 'team-a', '-', '--step', '34:100', '--step', '100:100'],
      { env, input: JSON.stringify({ apikey: 'AIza-cli', qps_limit: 6 }) },
    );
    expect(run.stderr).toMatch(/canary step 1\/2/);
    expect({ code: run.code, out: run.stdout }).toEqual({
      code: 0,
      out: expect.stringMatching(/: promoted step 2\/2/),
    });
    expect(run.stdout + run.stderr).not.toContain('AIza-cli'); // values are never printed
    for (const node of nodes) await waitFor(`${node.id} promoted`, () => runs(node).version === 1);
  });

  it('status --watch of a revoked key ends rolled-back (exit 1) naming the problem', async () => {
    const started = await runCli(
      ['rollout', 'start', 'team-a', '-', '--step', '34:600000', '--no-wait'],
      {
        env,
        input: JSON.stringify({ apikey: 'revoked-cli' }),
      },
    );
    expect(started.code).toBe(0);
    const watched = await runCli(['rollout', 'status', 'team-a', '--watch'], { env });
    expect(watched.code).toBe(1);
    expect(watched.stdout).toMatch(
      /rolled-back.*problems: cli-\d: the provider refused the apikey/,
    );
    const abort = await runCli(['rollout', 'abort', 'team-a'], { env });
    expect(abort.code).toBe(1);
    expect(abort.stderr).toMatch(/409: .*not running/);
  });

  it('a refused candidate: exit 1 with each node and its reason; no token: exit 2', async () => {
    const refused = await runCli(['rollout', 'start', 'team-a', '-'], {
      env,
      input: JSON.stringify({ qps_limit: 0 }),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/422: .*rejected/);
    expect(refused.stderr).toMatch(/cli-1: qps_limit must be an integer ≥ 1/);
    const noToken = await runCli(['rollout', 'status', 'team-a'], {
      env: { ADMIN_URL: env.ADMIN_URL },
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/ADMIN_TOKEN is not set/);
  });
});
