import type { Server } from 'node:http';
import request from 'supertest';
import { RedisServer } from '../helpers/redis-server';
import { startAdmin, TEST_TOKEN, TestAdmin } from './admin-app';

/** Every route of DESIGN §8 under /api, with a body that would be valid. */
const API_ROUTES: [method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object][] = [
  ['get', '/api/groups'],
  ['get', '/api/groups/secret'],
  ['post', '/api/groups', { name: 'intruder', config: {} }],
  ['put', '/api/groups/secret', { config: { stolen: true } }],
  ['delete', '/api/groups/secret'],
  ['get', '/api/groups/secret/history'],
  ['post', '/api/groups/secret/rollback', { version: 0 }],
  ['get', '/api/export'],
  ['post', '/api/import', []],
  ['get', '/api/nodes'],
  ['get', '/api/info'],
];

describe('admin security: bearer token, headers, rate limit, OpenAPI (real app, real Redis)', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let http: Server;

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = await startAdmin(redis);
    http = admin.app.getHttpServer();
    await request(http)
      .post('/api/groups')
      .set('Authorization', admin.auth)
      .send({ name: 'secret', config: { apikey: 'AIza-do-not-leak' } })
      .expect(201);
  });
  afterAll(async () => {
    await admin.app.close();
    await redis.dispose();
  });

  const sameLength = TEST_TOKEN.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'));
  it.each([
    ['no header', undefined],
    ['an empty bearer', 'Bearer '],
    ['a wrong token of the same length', `Bearer ${sameLength}`],
    ['a prefix of the token', `Bearer ${TEST_TOKEN.slice(0, -1)}`],
    ['the token plus a character', `Bearer ${TEST_TOKEN}x`],
    ['another scheme', `Basic ${Buffer.from(`admin:${TEST_TOKEN}`).toString('base64')}`],
    ['the bare token', TEST_TOKEN],
  ])('refuses %s on every /api route with 401, changing nothing', async (_label, header) => {
    for (const [method, path, body] of API_ROUTES) {
      let call = request(http)[method](path);
      if (header !== undefined) call = call.set('Authorization', header);
      const response = body ? await call.send(body) : await call;
      expect({ route: `${method} ${path}`, status: response.status }).toEqual({
        route: `${method} ${path}`,
        status: 401,
      });
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(response.headers['www-authenticate']).toBe('Bearer realm="rcc-admin"');
      expect(response.text).not.toContain('AIza-do-not-leak');
      if (header) expect(response.text).not.toContain(header.replace(/^\w+ /, '') || '\u0000');
    }
    // The test token is an admin's: revealed, the stored secret must be the one written.
    const stored = await request(http)
      .get('/api/groups/secret?reveal=true')
      .set('Authorization', admin.auth);
    expect(stored.body).toMatchObject({ version: 0, config: { apikey: 'AIza-do-not-leak' } });
    await request(http).get('/api/groups/intruder').set('Authorization', admin.auth).expect(404);
  });

  it('accepts the token with any case of "Bearer"', async () => {
    await request(http).get('/api/info').set('Authorization', `bearer ${TEST_TOKEN}`).expect(200);
  });

  it('serves health checks and the OpenAPI document without a token', async () => {
    expect((await request(http).get('/health')).body).toMatchObject({
      status: 'ok',
      info: { redis: { status: 'up' } },
    });
    await request(http).get('/health/live').expect(200);
    const ui = await request(http).get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
    expect(ui.text).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script: the CSP holds
  });

  it('documents every route of DESIGN §8 with its bearer security in /api/docs-json', async () => {
    const document = (await request(http).get('/api/docs-json').expect(200)).body as {
      paths: Record<
        string,
        Record<string, { security?: unknown[]; parameters?: { name: string; in: string }[] }>
      >;
      components: { securitySchemes: Record<string, unknown> };
    };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /api/groups',
        'POST /api/groups',
        'GET /api/groups/{name}',
        'PUT /api/groups/{name}',
        'DELETE /api/groups/{name}',
        'GET /api/groups/{name}/history',
        'POST /api/groups/{name}/rollback',
        'GET /api/groups/{name}/compare',
        'POST /api/groups/{name}/promote',
        'GET /api/environments',
        'GET /api/changes',
        'GET /api/changes/{id}',
        'POST /api/changes/{id}/approve',
        'POST /api/changes/{id}/reject',
        'POST /api/changes/{id}/withdraw',
        'POST /api/groups/{name}/rollouts',
        'GET /api/groups/{name}/rollouts',
        'GET /api/groups/{name}/rollouts/current',
        'POST /api/groups/{name}/rollouts/current/promote',
        'POST /api/groups/{name}/rollouts/current/abort',
        'GET /api/export',
        'POST /api/import',
        'GET /api/nodes',
        'GET /api/info',
        'GET /api/session',
        'GET /api/webhooks/deliveries',
        'GET /api/audit',
        'GET /health',
        'GET /health/live',
      ].sort(),
    );
    expect(document.paths['/api/groups'].post.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/api/webhooks/deliveries'].get.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/api/session'].get.security).toEqual([{ bearer: [] }]);
    // Every route on one group documents its `:name` path parameter, once.
    for (const [path, methods] of Object.entries(document.paths)) {
      if (!path.includes('{name}')) continue;
      for (const operation of Object.values(methods)) {
        const names = (operation.parameters ?? []).filter((p) => p.in === 'path');
        expect(names.map((p) => p.name)).toEqual(['name']);
      }
    }
    expect(document.components.securitySchemes.bearer).toMatchObject({ scheme: 'bearer' });
  });

  it('sends security headers (helmet) and hides the framework', async () => {
    const response = await request(http).get('/api/info').set('Authorization', admin.auth);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain(
      "script-src 'self' 'unsafe-inline'",
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('answers an unknown /api route with a JSON 404, token or not', async () => {
    const response = await request(http).get('/api/nothing-here').set('Authorization', admin.auth);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('admin tokens with labels, and the write rate limit', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let http: Server;
  const alice = 'alice-token-0123456789';
  const bob = 'bob-token-0123456789';

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = await startAdmin(redis, {
      settings: {
        tokens: [
          { label: 'alice', token: alice },
          { label: 'bob', token: bob },
        ],
        writeRateLimit: 3,
      },
    });
    http = admin.app.getHttpServer();
  });
  afterAll(async () => {
    await admin.app.close();
    await redis.dispose();
  });

  it('records the label of each token as the author, limits writes per token, never reads', async () => {
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    await request(http)
      .post('/api/groups')
      .set(as(alice))
      .send({ name: 'shared', config: { v: 0 } })
      .expect(201);
    await request(http)
      .put('/api/groups/shared')
      .set(as(bob))
      .send({ config: { v: 1 } })
      .expect(200);
    const history = await request(http)
      .get('/api/groups/shared/history')
      .set(as(alice))
      .expect(200);
    expect(history.body.map((e: { author: string }) => e.author)).toEqual(['bob', 'alice']);

    // Alice has used 1 of her 3 writes a minute; the 4th is refused, and it writes nothing.
    await request(http)
      .put('/api/groups/shared')
      .set(as(alice))
      .send({ config: { v: 2 } })
      .expect(200);
    await request(http)
      .put('/api/groups/shared')
      .set(as(alice))
      .send({ config: { v: 3 } })
      .expect(200);
    const limited = await request(http)
      .put('/api/groups/shared')
      .set(as(alice))
      .send({ config: { v: 4 } });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(limited.headers['retry-after-writes']).toBeDefined();

    // Reads are not limited; Bob's budget is his own; a stranger is refused before any budget.
    for (let i = 0; i < 5; i++)
      await request(http).get('/api/groups/shared').set(as(alice)).expect(200);
    expect((await request(http).get('/api/groups/shared').set(as(alice))).body.config).toEqual({
      v: 3,
    });
    await request(http)
      .put('/api/groups/shared')
      .set(as(bob))
      .send({ config: { v: 5 } })
      .expect(200);
    const stranger = await request(http)
      .put('/api/groups/shared')
      .set(as('x'.repeat(22)))
      .send({ config: {} });
    expect(stranger.status).toBe(401);
  });
});
