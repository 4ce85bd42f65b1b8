import request from 'supertest';
import type { AuditEntry } from '../../apps/admin/src/audit/audit-entry';
import { RedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { startAdmin, TestAdmin } from './admin-app';
import { roleTokens } from './role-tokens';

const SECRET = 'sk-right-guess-0123456789';

/**
 * Issue 23 #5: an import preview used to answer `unchanged` for a right guess of a secret and
 * `updated` for a wrong one, unaudited, for every group of one file.
 */
describe('import preview and secrets', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  const roles = roleTokens('preview');
  const as = (token: string) => ({
    post: (path: string, body: unknown) =>
      request(admin.app.getHttpServer())
        .post(path)
        .set('Authorization', `Bearer ${token}`)
        .send(body as object),
  });

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = await startAdmin(redis, { settings: { tokens: roles.settings, writeRateLimit: 0 } });
    const created = await as(roles.tokens.writer).post('/api/groups', {
      name: 'payments',
      config: { apikey: SECRET, qps: 5 },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await admin?.app.close();
    await redis?.dispose();
  });

  const preview = (apikey: string, qps = 5) =>
    as(roles.tokens.writer).post('/api/import?dryRun=true', [
      { group_name: 'payments', group_version: 0, config_dict: { apikey, qps } },
    ]);

  it('answers a right and a wrong guess of a secret alike', async () => {
    const right = await preview(SECRET);
    const wrong = await preview('sk-wrong-guess-0123456789');
    expect(right.status).toBe(200);
    expect(wrong.status).toBe(200);
    expect(right.body).toEqual(wrong.body);
    expect(right.body).toMatchObject({
      dryRun: true,
      applied: false,
      updated: ['payments'],
      unchanged: [],
      entries: [{ name: 'payments', action: 'update', currentVersion: 0, newVersion: 1 }],
    });
  });

  it('gives an admin (who may reveal secrets anyway) the exact preview', async () => {
    const exact = await as(roles.tokens.admin).post('/api/import?dryRun=true', [
      { group_name: 'payments', group_version: 0, config_dict: { apikey: SECRET, qps: 5 } },
    ]);
    expect(exact.body).toMatchObject({ unchanged: ['payments'], updated: [] });
  });

  it('still previews unchanged a file whose secrets are the masks of an export', async () => {
    const masked = await preview('••••6789');
    expect(masked.body).toMatchObject({ unchanged: ['payments'], updated: [] });
    // A change of a plain key is an update whatever the secret.
    expect((await preview('••••6789', 6)).body).toMatchObject({ updated: ['payments'] });
  });

  it('audits every preview, naming the groups of the file', async () => {
    const entries = await waitFor('the previews audited', async () => {
      const response = await request(admin.app.getHttpServer())
        .get('/api/audit?action=import-previewed')
        .set('Authorization', `Bearer ${roles.tokens.admin}`);
      const found = response.body as AuditEntry[];
      return found.length >= 5 ? found : null;
    }).then((found) => found as AuditEntry[]);
    expect(entries).toHaveLength(5);
    expect(entries[1]).toMatchObject({ actor: 'preview-writer', groups: ['payments'] });
    expect(JSON.stringify(entries)).not.toContain(SECRET);
  });
});
