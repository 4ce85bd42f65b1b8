import request from 'supertest';
import { RedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import type { AuditEntry } from '../../apps/admin/src/audit/audit-entry';
import type { AdminRole } from '../../apps/admin/src/auth/admin-role';
import { startAdmin, TestAdmin } from './admin-app';
import { roleTokens } from './role-tokens';

/** The audit log (DESIGN §14) on a real admin and a real Redis: who did what, never a value. */
const { tokens: TOKENS, settings: TOKEN_SETTINGS } = roleTokens('audit');
type Role = AdminRole;
const SECRET = 'AIza-audit-secret-value-0123456789';
const LIMIT = 120;

type Entry = AuditEntry;

describe('audit log', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  const as = (role: Role | null) => {
    const server = admin.app.getHttpServer();
    const auth = (call: request.Test) =>
      role ? call.set('Authorization', `Bearer ${TOKENS[role]}`) : call;
    return {
      get: (path: string) => auth(request(server).get(path)),
      put: (path: string, body: object) => auth(request(server).put(path)).send(body),
      post: (path: string, body: object) => auth(request(server).post(path)).send(body),
      delete: (path: string) => auth(request(server).delete(path)),
    };
  };
  /** The entries of `query` once there are at least `count` of them (within a bound). */
  const atLeast = (what: string, count: number, query: string) =>
    waitFor(what, async () => {
      const found = await audit(query);
      return found.length >= count ? found : null;
    }).then((found) => found as Entry[]);
  const audit = async (query = ''): Promise<Entry[]> => {
    const response = await as('admin').get(`/api/audit${query}`);
    expect(response.status).toBe(200);
    return response.body as Entry[];
  };

  beforeAll(async () => {
    redis = await RedisServer.start();
    const before = process.env.RCC_AUDIT_LIMIT;
    process.env.RCC_AUDIT_LIMIT = String(LIMIT);
    try {
      admin = await startAdmin(redis, {
        settings: {
          tokens: TOKEN_SETTINGS,
          writeRateLimit: 0,
        },
      });
    } finally {
      if (before === undefined) delete process.env.RCC_AUDIT_LIMIT;
      else process.env.RCC_AUDIT_LIMIT = before;
    }
  });

  afterAll(async () => {
    await admin?.app.close();
    await redis?.dispose();
  });

  it('records writes with actor, role, address, versions and the changed keys, never a value', async () => {
    expect(
      (
        await as('writer').post('/api/groups', {
          name: 'payments',
          config: { apikey: SECRET, qps: 5 },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await as('writer').put('/api/groups/payments', {
          config: { apikey: `${SECRET}-2`, qps: 5, region: 'eu' },
        })
      ).status,
    ).toBe(200);
    expect((await as('admin').post('/api/groups/payments/rollback', { version: 0 })).status).toBe(
      200,
    );
    const entries = await atLeast('three write entries', 3, '?group=payments');
    expect(
      entries.map((entry) => [
        entry.action,
        entry.actor,
        entry.role,
        entry.fromVersion,
        entry.toVersion,
      ]),
    ).toEqual([
      ['rolled-back', 'audit-admin', 'admin', 1, 2],
      ['published', 'audit-writer', 'writer', 0, 1],
      ['created', 'audit-writer', 'writer', null, 0],
    ]);
    expect(entries[1].keys).toEqual(['apikey', 'region']);
    expect(entries[2].keys).toEqual(['apikey', 'qps']);
    expect(entries[1]).toMatchObject({ method: 'PUT', path: '/api/groups/payments', status: 200 });
    expect(entries[1].address).toMatch(/127\.0\.0\.1|::1/);
    expect(JSON.stringify(entries)).not.toContain(SECRET);
  });

  it('records a served reveal, and a refused one as refused, without the revealed values', async () => {
    const revealed = await as('admin').get('/api/groups/payments?reveal=true');
    expect(revealed.status).toBe(200);
    expect(JSON.stringify(revealed.body)).toContain(SECRET); // the admin sees it in clear…
    expect((await as('writer').get('/api/groups/payments?reveal=true')).status).toBe(403);
    // A ?reveal on a route that reveals nothing is not a reveal.
    expect((await as('admin').get('/api/nodes?reveal=true')).status).toBe(200);
    const reveals = await atLeast('a reveal entry', 1, '?action=revealed');
    expect(reveals).toHaveLength(1);
    expect(reveals[0]).toMatchObject({ actor: 'audit-admin', role: 'admin', group: 'payments' });
    const refused = await atLeast('the refused reveal', 1, '?action=refused&actor=audit-writer');
    expect(refused[0]).toMatchObject({ status: 403, group: 'payments' });
    // …the log never does.
    expect(JSON.stringify(await audit())).not.toContain(SECRET);
  });

  it('records refused requests (401 without a token, 403 below the role) without the token', async () => {
    expect((await as(null).get('/api/groups')).status).toBe(401);
    expect((await as('reader').delete('/api/groups/payments')).status).toBe(403);
    const refused = await atLeast('two refused entries', 2, '?action=refused');
    expect(
      refused.slice(0, 2).map((entry) => [entry.status, entry.actor, entry.role, entry.path]),
    ).toEqual([
      [403, 'audit-reader', 'reader', '/api/groups/payments'],
      [401, null, null, '/api/groups'],
    ]);
    expect(JSON.stringify(refused)).not.toContain(TOKENS.reader);
  });

  it('records an applied import, and its dry run as a preview; filters by actor', async () => {
    const file = [{ group_name: 'imported-1', group_version: 0, config_dict: { a: 1 } }];
    expect((await as('writer').post('/api/import?dryRun=true', file)).status).toBe(200);
    expect((await as('admin').post('/api/import', file)).status).toBe(200);
    const imports = await atLeast('an import entry', 1, '?action=imported');
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ actor: 'audit-admin', groups: ['imported-1'] });
    const previews = await atLeast('the preview entry', 1, '?action=import-previewed');
    expect(previews[0]).toMatchObject({ actor: 'audit-writer', groups: ['imported-1'] });
    expect((await audit('?group=imported-1')).map((entry) => entry.action)).toEqual([
      'imported',
      'import-previewed',
    ]);
    const byWriter = await audit('?actor=audit-writer');
    expect(byWriter.length).toBeGreaterThanOrEqual(2);
    expect(byWriter.every((entry) => entry.actor === 'audit-writer')).toBe(true);
  });

  it('is for admins only, exports JSON lines, and refuses a bad filter naming it', async () => {
    expect((await as('writer').get('/api/audit')).status).toBe(403);
    const lines = await as('admin').get('/api/audit?format=jsonl&limit=3');
    expect(lines.status).toBe(200);
    expect(lines.headers['content-type']).toMatch(/application\/x-ndjson/);
    const parsed = lines.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Entry);
    expect(parsed).toHaveLength(3);
    const bad = await as('admin').get('/api/audit?limit=0&action=stolen');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/limit/);
    expect(JSON.stringify(bad.body)).toMatch(/action/);
  });

  it('keeps real entries and a bounded size under a flood of refused requests with huge paths', async () => {
    // Issue 23 #2: 130 requests with no token and 15 KB paths used to push every real entry out
    // of the log and store 15 KB each.
    expect((await as('admin').get('/api/groups/payments?reveal=true')).status).toBe(200);
    await atLeast('the reveal before the flood', 1, '?action=revealed');
    const revealsBefore = (await audit(`?action=revealed&limit=${LIMIT}`)).length;
    const client = redis.client();
    try {
      const refusedKey = `{${admin.namespace}}:audit-refused`;
      const huge = `/api/groups/${'x'.repeat(15_000)}`;
      for (let i = 0; i < LIMIT + 10; i++) {
        expect((await as(null).get(`${huge}${i}`)).status).toBe(401);
      }
      await waitFor('the flood recorded', async () => (await client.xlen(refusedKey)) === LIMIT);
      // The newest refusal is the last request, its path cut to a bound.
      const newest = (await audit('?action=refused&limit=1'))[0];
      expect(newest.path.length).toBeLessThanOrEqual(256);
      expect(newest.path.startsWith('/api/groups/xxx')).toBe(true);
      const bytes = Number(await client.call('MEMORY', 'USAGE', refusedKey));
      expect(bytes).toBeLessThan(LIMIT * 1024);
      // Every real entry is still there, and the merged view still lists both kinds.
      expect(await audit(`?action=revealed&limit=${LIMIT}`)).toHaveLength(revealsBefore);
      const mixed = await audit(`?limit=${LIMIT + 5}`);
      expect(mixed.some((entry) => entry.action === 'revealed')).toBe(true);
      expect(mixed.some((entry) => entry.action === 'refused')).toBe(true);
      const times = mixed.map((entry) => entry.at);
      expect([...times].sort().reverse()).toEqual(times);
    } finally {
      client.disconnect();
    }
  });

  it('keeps at most RCC_AUDIT_LIMIT entries, the newest', async () => {
    for (let i = 0; i < LIMIT + 30; i++) {
      await as('writer').put('/api/groups/bound', { config: { i } });
    }
    const client = redis.client();
    try {
      const key = `{${admin.namespace}}:audit`;
      await waitFor('the last write recorded', async () => {
        const newest = (await audit('?group=bound&limit=1'))[0];
        return newest?.toVersion === LIMIT + 29;
      });
      expect(await client.xlen(key)).toBe(LIMIT);
    } finally {
      client.disconnect();
    }
  });
});
