import { ExampleConfigView } from '../blackbox/built-app';
import { freePort, listening, RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import {
  IMAGE,
  ImageConfig,
  ImageContainer,
  ImageProcess,
  imageSize,
  inspectImage,
} from './image-container';

const TOKEN = 'image-test-token-0123456789';
const GROUP = 'image';

/**
 * The container image built from the committed Dockerfile (npm run image:build), run with
 * `buildah run --isolation chroot` on the host's network against a redis-server on the host's
 * loopback: the admin (the image's default command) and the example node from the same image, and
 * the `rcc` CLI. Run by `npm run test:container` (CI: .ci/run), not by `npm test`.
 */
describe('container image: the admin, the example node and the CLI from the built image', () => {
  let config: ImageConfig;
  let container: ImageContainer;
  let redis: RedisServer;
  let admin: ImageProcess;
  let example: ImageProcess;
  let adminPort: number;
  let examplePort: number;
  let adminUrl: string;
  let exampleUrl: string;
  let namespace: string;

  beforeAll(async () => {
    config = await inspectImage(); // fails first, with "npm run image:build", when it is missing
    process.stdout.write(`${IMAGE}: ${await imageSize()}\n`);
    container = await ImageContainer.create('image-test');
    redis = await RedisServer.start();
    namespace = uniqueNamespace('image');
    [adminPort, examplePort] = [await freePort(), await freePort()];
    adminUrl = `http://127.0.0.1:${adminPort}`;
    exampleUrl = `http://127.0.0.1:${examplePort}`;

    // The image's default command, as `docker run` would start it.
    admin = container.start('admin (image)', config.Cmd ?? [], {
      REDIS_URL: redis.url,
      RCC_NAMESPACE: namespace,
      ADMIN_PORT: String(adminPort),
      ADMIN_TOKEN: TOKEN,
    });
    await admin.waitForHttp(`${adminUrl}/health`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([example?.stop(), admin?.stop()]);
    await container?.remove();
    await redis?.dispose();
  });

  function put(body: Record<string, unknown>, token = TOKEN): Promise<Response> {
    return fetch(`${adminUrl}/api/groups/${GROUP}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ config: body, comment: 'image test' }),
    });
  }

  async function nodeView(): Promise<ExampleConfigView> {
    return (await (await fetch(`${exampleUrl}/config`)).json()) as ExampleConfigView;
  }

  it('is configured as the Dockerfile says: user node, /app, the admin by default, a HEALTHCHECK', () => {
    expect(config.User).toBe('node');
    expect(config.WorkingDir).toBe('/app');
    expect(config.Cmd).toEqual(['node', 'dist/apps/admin/main.js']);
    expect(Object.keys(config.ExposedPorts ?? {}).sort()).toEqual(['8079/tcp', '8089/tcp']);
    expect(config.Healthcheck?.Test?.[0]).toBe('CMD');
  });

  it('runs as the non-root user node (uid 1000), which cannot write the app', async () => {
    const id = await container.run(['id']);
    expect(id.code).toBe(0);
    expect(id.stdout).toMatch(/^uid=1000\(node\) gid=1000\(node\)/);
    const write = await container.run(['touch', '/app/dist/written-by-the-app']);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/Permission denied/);
  });

  it('the admin answers /health with Redis up, and /api/info only with the token', async () => {
    const health = await fetch(`${adminUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });

    const refused = await fetch(`${adminUrl}/api/info`);
    expect(refused.status).toBe(401);
    const info = await fetch(`${adminUrl}/api/info`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({
      mode: 'standalone',
      port: redis.port,
      namespace,
      connected: true,
    });
  });

  it("the image's own HEALTHCHECK command passes against the running admin", async () => {
    const test = config.Healthcheck?.Test ?? [];
    expect(test[0]).toBe('CMD');
    const check = await container.run(test.slice(1), { ADMIN_PORT: String(adminPort) });
    expect(check.code).toBe(0);
    // And it fails where nothing answers (the command decides, not its mere presence).
    const free = await freePort();
    const none = await container.run(test.slice(1), { ADMIN_PORT: String(free) });
    expect(none.code).toBe(1);
  });

  it('the admin serves the web console', async () => {
    const page = await fetch(`${adminUrl}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Redis Config Center</title>');
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html);
    expect(script).not.toBeNull();
    const bundle = await fetch(`${adminUrl}/${script?.[1]}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
  });

  it("a publish through the image's admin reaches the image's example node, pushed", async () => {
    const created = await put({ apikey: 'k-image-0', qps_limit: 1 });
    expect(created.status).toBe(200);

    example = container.start('example (image)', ['node', 'dist/apps/example/main.js'], {
      REDIS_URL: redis.url,
      RCC_NAMESPACE: namespace,
      PORT: String(examplePort),
      RCC_NODE_ID: 'image-node',
      DEFAULT_CONFIG_GROUP: GROUP,
      // The periodic refresh is far away: only the push can deliver the next version in time.
      RCC_REFRESH_MS: '600000',
    });
    await example.waitForHttp(`${exampleUrl}/config`);
    expect(await nodeView()).toMatchObject({
      nodeId: 'image-node',
      group: GROUP,
      version: 0,
      config: { apikey: 'k-image-0', qps_limit: 1 },
    });

    const published = await put({ apikey: 'k-image-1', qps_limit: 2 });
    expect(published.status).toBe(200);
    const { version } = (await published.json()) as { version: number };
    expect(version).toBe(1);
    const view = await waitFor(
      `v${version} on the example node`,
      async () => {
        const seen = await nodeView();
        return seen.version === version ? seen : null;
      },
      10_000,
      50,
    );
    expect(view?.config).toEqual({ apikey: 'k-image-1', qps_limit: 2 });
  });

  it('the rcc CLI in the image runs: --help, and an export of what the admin wrote', async () => {
    const help = await container.run(['node', 'dist/apps/cli/main.js', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: rcc');
    expect(help.stdout).toContain('export');

    const exported = await container.run(['node', 'dist/apps/cli/main.js', 'export', '--quiet'], {
      REDIS_URL: redis.url,
      RCC_NAMESPACE: namespace,
    });
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual([
      { group_name: GROUP, group_version: 1, config_dict: { apikey: 'k-image-1', qps_limit: 2 } },
    ]);
  });

  it('stopping the containers leaves nothing listening', async () => {
    await Promise.all([example.stop(), admin.stop()]);
    await waitFor('the ports to close', async () => {
      const open = await Promise.all([listening(adminPort), listening(examplePort)]);
      return open.every((isOpen) => !isOpen);
    });
  });
});
