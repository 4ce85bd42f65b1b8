import request from 'supertest';
import { RedisServer } from '../helpers/redis-server';
import type { AdminRole } from '../../apps/admin/src/auth/admin-role';
import { startAdmin, TestAdmin } from './admin-app';
import { roleTokens } from './role-tokens';

/**
 * The role matrix (DESIGN §14), generated from the routes the admin really serves (Express's
 * router), so a new route cannot be left out: every route that is not public declares a role in
 * OpenAPI (`x-rcc-role`), and every token gets 401, 403 or through exactly as its role says.
 */
const { tokens: TOKENS, settings: TOKEN_SETTINGS } = roleTokens('matrix');
type Role = AdminRole;
const RANK: Record<Role, number> = { reader: 0, writer: 1, admin: 2 };

/** Routes served without a token: health probes, the OpenAPI document, the console's page. */
const PUBLIC = [/^\/health(\/live)?$/, /^\/api\/docs/, /^\/$/, /^\/metrics$/]; // metrics: METRICS_TOKEN

interface ServedRoute {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  path: string;
}

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

function servedRoutes(admin: TestAdmin): ServedRoute[] {
  const express = admin.app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  return express.router.stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map((method) => ({
          method: method as ServedRoute['method'],
          path: (layer.route as { path: string }).path,
        }))
      : [],
  );
}

/** `/api/groups/:name` as OpenAPI writes it: `/api/groups/{name}`. */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const concretePath = (path: string) => path.replace(/:(\w+)/g, 'matrix-$1');

describe('roles on every route', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let routes: ServedRoute[];
  let declared: Map<string, Role>;

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = await startAdmin(redis, {
      settings: {
        tokens: TOKEN_SETTINGS,
      },
    });
    await admin.app.init();
    routes = servedRoutes(admin).filter(({ path }) => !PUBLIC.some((open) => open.test(path)));
    const document = (await request(admin.app.getHttpServer()).get('/api/docs-json')).body as {
      paths: Record<string, Record<string, { 'x-rcc-role'?: Role }>>;
    };
    declared = new Map();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation['x-rcc-role']) declared.set(`${method} ${path}`, operation['x-rcc-role']);
      }
    }
  });

  afterAll(async () => {
    await admin?.app.close();
    await redis?.dispose();
  });

  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(11);
  });

  it('declares a role on every served route, shown in OpenAPI', () => {
    const undeclared = routes
      .filter(({ method, path }) => !declared.has(`${method} ${openApiPath(path)}`))
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(undeclared).toEqual([]);
  });

  it('answers 401 without a token or with an unknown one, 403 below the role, and serves the rest', async () => {
    const wrong: string[] = [];
    for (const { method, path } of routes) {
      const needed = declared.get(`${method} ${openApiPath(path)}`) as Role;
      const url = concretePath(path);
      const send = (token?: string) => {
        const call = request(admin.app.getHttpServer())[method](url);
        if (token) call.set('Authorization', `Bearer ${token}`);
        // An empty object is no valid body anywhere: an allowed write is refused (400), not made.
        return method === 'get' ? call : call.send({});
      };
      const expectStatus = async (
        who: string,
        token: string | undefined,
        check: (s: number) => boolean,
      ) => {
        const { status } = await send(token);
        if (!check(status)) wrong.push(`${method.toUpperCase()} ${path} as ${who}: ${status}`);
      };
      await expectStatus('nobody', undefined, (status) => status === 401);
      await expectStatus('an unknown token', 'not-a-configured-token', (status) => status === 401);
      for (const role of Object.keys(TOKENS) as Role[]) {
        const allowed = RANK[role] >= RANK[needed];
        await expectStatus(role, TOKENS[role], (status) =>
          allowed ? status !== 401 && status !== 403 && status < 500 : status === 403,
        );
      }
    }
    expect(wrong).toEqual([]);
  });

  it('says which role a refused token lacks, naming the token by its label only', async () => {
    const response = await request(admin.app.getHttpServer())
      .delete('/api/groups/anything')
      .set('Authorization', `Bearer ${TOKENS.reader}`);
    expect(response.status).toBe(403);
    expect(JSON.stringify(response.body)).toContain('writer');
    expect(JSON.stringify(response.body)).toContain('matrix-reader');
    expect(JSON.stringify(response.body)).not.toContain(TOKENS.reader);
  });
});
