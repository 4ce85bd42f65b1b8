import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import request from 'supertest';
import { startAdmin, TEST_TOKEN, TestAdmin } from '../admin/admin-app';
import { RedisServer } from '../helpers/redis-server';
import { ensureConsoleBuilt, launchChromium } from './console-harness';

/** How the admin service serves the built console, next to (never instead of) its API. */
describe('web console: served by the admin service', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let http: Server;

  beforeAll(async () => {
    ensureConsoleBuilt();
    redis = await RedisServer.start();
    admin = await startAdmin(redis);
    http = admin.app.getHttpServer();
  });
  afterAll(async () => {
    await admin?.app.close();
    await redis?.dispose();
  });

  it('serves the console at / without a token, revalidated on every load, under a CSP without inline scripts', async () => {
    const response = await request(http).get('/?token=anything').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['cache-control']).toBe('no-cache, must-revalidate');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(response.text).toMatch(
      /<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js"><\/script>/,
    );
    // No inline script and no inline event handler in the page.
    expect(response.text.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
    expect(response.text).not.toMatch(/\son[a-z]+=/i);
  });

  it('serves the hashed assets with a long-lived cache and the right types', async () => {
    const assets = readdirSync(join(__dirname, '..', '..', 'dist', 'console', 'assets'));
    const script = assets.find((file) => /^index-.*\.js$/.test(file));
    const style = assets.find((file) => file.endsWith('.css'));
    const js = await request(http).get(`/assets/${script}`).expect(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await request(http).get(`/assets/${style}`).expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('leaves /api and /health to their controllers, and answers 404 for other paths', async () => {
    const unknownApi = await request(http)
      .get('/api/no-such-route')
      .set('Authorization', admin.auth);
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    await request(http).get('/api/groups').expect(401);
    const health = await request(http).get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    const docs = await request(http).get('/api/docs-json').expect(200);
    expect(docs.body).toHaveProperty('openapi');
    const other = await request(http).get('/some/deep/path');
    expect(other.status).toBe(404);
    expect(other.text).not.toContain('<div id="app">');
  });

  it('works over plain HTTP under a host name that is not localhost (no upgrade-insecure-requests)', async () => {
    // Helmet's default CSP asked browsers to fetch every asset over https: fine on localhost
    // (a trustworthy origin), a blank page on http://config-admin.internal:8079/.
    const csp = String(
      (await request(http).get('/').expect(200)).headers['content-security-policy'],
    );
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    await admin.app.listen(0, '127.0.0.1');
    const port = new URL(await admin.app.getUrl()).port;
    const browser = await launchChromium(['--host-resolver-rules=MAP rcc-console.test 127.0.0.1']);
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`http://rcc-console.test:${port}/?token=${encodeURIComponent(TEST_TOKEN)}`);
      await page.getByRole('button', { name: /Sign out/ }).waitFor({ timeout: 15_000 });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
