import request from 'supertest';
import type { INestApplicationContext } from '@nestjs/common';
import type { ConfigGroupService } from '@rcc/redis-config';
import { groupPath } from '../admin/admin-app';
import { roleTokens } from '../admin/role-tokens';
import { startNode } from '../helpers/config-node';
import { waitFor } from '../helpers/wait-for';
import {
  PRODUCTION_PASSWORD,
  startTwoEnvironmentAdmin,
  seedGroup,
  startTwoRedis,
  TwoRedis,
} from './two-environments';

const { tokens, settings: tokenSettings } = roleTokens('cr');
type Role = keyof typeof tokens;
type Admin = Awaited<ReturnType<typeof startTwoEnvironmentAdmin>>;
const SECRET = 'production-apikey-0042';

/**
 * The two-person rule in a protected environment (DESIGN §19), on two real Redis servers
 * (production with a password): every write becomes a pending change request (202); another
 * token approves it (applied against its version, or stale), rejects it, or its author withdraws.
 */
describe('change requests in a protected environment', () => {
  let redis: TwoRedis;
  let admin: Admin;
  let replica: Admin;
  let node: { app: INestApplicationContext; config: ConfigGroupService } | null = null;
  const as = (role: Role, app: Admin = admin) => {
    const call = (method: 'get' | 'post' | 'put' | 'delete') => (path: string) =>
      request(app.app.getHttpServer())[method](path).set('Authorization', `Bearer ${tokens[role]}`);
    return { get: call('get'), post: call('post'), put: call('put'), delete: call('delete') };
  };
  const prod = (path: string) => `${path}${path.includes('?') ? '&' : '?'}env=production`;

  const settings = { tokens: tokenSettings, protectedEnvironments: 'production' };

  beforeAll(async () => {
    redis = await startTwoRedis();
    admin = await startTwoEnvironmentAdmin(redis, settings);
    replica = await startTwoEnvironmentAdmin(redis, settings, admin.namespaces);
    // The first version of production's group, written before the rule (straight to its Redis).
    await seedGroup(redis.productionClient(), admin.namespaces.production, 'orders', {
      qps: 5,
      apikey: SECRET,
    });
  });

  afterAll(async () => {
    await node?.app.close();
    await replica?.app.close();
    await admin?.app.close();
    await redis?.dispose();
  });

  async function version(name = 'orders'): Promise<number> {
    return (
      await as('reader')
        .get(prod(groupPath(name)))
        .expect(200)
    ).body.version as number;
  }

  it('marks the protected environment in the list', async () => {
    const response = await as('reader').get('/api/environments').expect(200);
    expect(response.body.map((env: { protected: boolean }) => env.protected)).toEqual([
      false,
      true,
    ]);
  });

  it('turns a write into a pending request (202) with its diff, never a secret value', async () => {
    const before = await version();
    const response = await as('writer')
      .put(prod(groupPath('orders')))
      .send({ config: { qps: 7, apikey: 'a-new-secret-value-123' } })
      .expect(202);
    expect(response.body).toMatchObject({
      id: expect.any(String),
      status: 'pending',
      env: 'production',
      action: 'publish',
      group: 'orders',
      author: 'cr-writer',
      baseVersion: before,
      diff: [
        { key: 'apikey', status: 'changed', secret: true },
        { key: 'qps', status: 'changed', secret: false, from: 5, to: 7 },
      ],
    });
    expect(JSON.stringify(response.body)).not.toContain('a-new-secret-value-123');
    expect(JSON.stringify(response.body)).not.toContain(SECRET);
    expect(await version()).toBe(before); // nothing applied
    // Staging is not protected: written at once.
    await as('writer')
      .put(groupPath('orders'))
      .send({ config: { qps: 9 } })
      .expect(200);
  });

  it('lists and shows requests, filtered by environment, status and group', async () => {
    const all = await as('reader').get('/api/changes').expect(200);
    expect(all.body.length).toBeGreaterThanOrEqual(1);
    const pending = await as('reader')
      .get('/api/changes?env=production&status=pending&group=orders')
      .expect(200);
    expect(pending.body).toHaveLength(1);
    const one = await as('reader').get(`/api/changes/${pending.body[0].id}`).expect(200);
    expect(one.body.id).toBe(pending.body[0].id);
    await as('reader').get('/api/changes?env=staging').expect(200, []);
    await as('reader').get('/api/changes?status=maybe').expect(400);
    await as('reader').get('/api/changes/0-00000000').expect(404);
  });

  it('refuses the author and a reader; another label approves and a node follows by push', async () => {
    const { body: changes } = await as('reader').get(prod('/api/changes?status=pending'));
    const id = changes[0].id as string;
    node = await startNode({
      redis: { url: `redis://:${PRODUCTION_PASSWORD}@127.0.0.1:${redis.production.port}` },
      namespace: admin.namespaces.production,
      group: 'orders',
      refreshMs: 60_000, // only a push can deliver the change within the bound below
      startupTimeoutMs: 5000,
    });
    expect(node.config.get('qps')).toBe(5);
    const author = await as('writer').post(`/api/changes/${id}/approve`).expect(403);
    expect(author.body.message).toContain('cannot approve it');
    await as('reader').post(`/api/changes/${id}/approve`).expect(403);
    const approved = await as('admin').post(`/api/changes/${id}/approve`).expect(200);
    expect(approved.body).toMatchObject({
      status: 'applied',
      decidedBy: 'cr-admin',
      appliedVersion: 1,
    });
    const live = node.config;
    await waitFor('the node to run the approved change', () => live.get('qps') === 7, 3000);
    expect(live.get('apikey')).toBe('a-new-secret-value-123');
    await as('admin').post(`/api/changes/${id}/approve`).expect(409); // decided already
  });

  it('answers 409 and marks a request stale when the group moved since it was made', async () => {
    const first = await as('writer')
      .put(prod(groupPath('orders')))
      .send({ config: { qps: 8 } });
    const second = await as('writer')
      .put(prod(groupPath('orders')))
      .send({ config: { qps: 10 } });
    expect([first.status, second.status]).toEqual([202, 202]);
    await as('admin').post(`/api/changes/${first.body.id}/approve`).expect(200);
    const stale = await as('admin').post(`/api/changes/${second.body.id}/approve`).expect(409);
    expect(stale.body.message).toContain('is stale');
    const read = await as('reader').get(`/api/changes/${second.body.id}`).expect(200);
    expect(read.body.status).toBe('stale');
    expect((await as('reader').get(prod(groupPath('orders')))).body.config.qps).toBe(8);
  });

  it('rejects; only the author withdraws; a decided request is never applied', async () => {
    const before = await version();
    const a = await as('writer')
      .put(prod(groupPath('orders')))
      .send({ config: { qps: 1 } });
    const b = await as('writer')
      .put(prod(groupPath('orders')))
      .send({ config: { qps: 2 } });
    await as('admin').post(`/api/changes/${a.body.id}/reject`).expect(200);
    await as('admin').post(`/api/changes/${a.body.id}/approve`).expect(409);
    const stranger = await as('admin').post(`/api/changes/${b.body.id}/withdraw`).expect(403);
    expect(stranger.body.message).toContain('Only the author');
    const withdrawn = await as('writer').post(`/api/changes/${b.body.id}/withdraw`).expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(await version()).toBe(before);
  });

  it('makes a request of every kind of write: delete, rollback, import, rollout, promote', async () => {
    const kinds: [string, request.Test][] = [
      ['delete', as('writer').delete(prod(groupPath('orders')))],
      [
        'rollback',
        as('writer')
          .post(prod(`${groupPath('orders')}/rollback`))
          .send({ version: 0 }),
      ],
      [
        'import',
        as('writer')
          .post(prod('/api/import'))
          .send([{ group_name: 'imported', group_version: 3, config_dict: { a: 1 } }]),
      ],
      [
        'rollout',
        as('writer')
          .post(prod(`${groupPath('orders')}/rollouts`))
          .send({ config: { qps: 11 }, steps: [{ percent: 50, bakeMs: 1000 }] }),
      ],
      [
        'promote',
        as('writer')
          .post(`${groupPath('orders')}/promote`)
          .send({ from: 'staging', to: 'production' }),
      ],
    ];
    for (const [action, call] of kinds) {
      const response = await call;
      expect({ action, status: response.status }).toEqual({ action, status: 202 });
      expect(response.body).toMatchObject({ status: 'pending', env: 'production', action });
    }
    const imported = (await as('reader').get(prod('/api/changes?status=pending'))).body.find(
      (change: { action: string }) => change.action === 'import',
    );
    expect(imported.groups).toEqual(['imported']);
    await as('reader')
      .get(prod(groupPath('imported')))
      .expect(404);
    // The import, approved by another label, is applied as the file said.
    await as('admin').post(`/api/changes/${imported.id}/approve`).expect(200);
    expect((await as('reader').get(prod(groupPath('imported')))).body).toMatchObject({
      version: 3,
      config: { a: 1 },
    });
  });

  it('applies a request once when two admin replicas approve it at the same moment', async () => {
    const before = await version();
    const made = await as('writer')
      .put(prod(groupPath('orders')))
      .send({ config: { qps: 99 } })
      .expect(202);
    // The replica sees what the first admin stored: the requests live in production's Redis.
    await as('reader', replica).get(`/api/changes/${made.body.id}`).expect(200);
    const answers = await Promise.all([
      as('admin').post(`/api/changes/${made.body.id}/approve`),
      as('admin', replica).post(`/api/changes/${made.body.id}/approve`),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(await version()).toBe(before + 1);
  });

  it('counts pending requests by environment and audits every step', async () => {
    const pending = (await as('reader').get(prod('/api/changes?status=pending'))).body.length;
    const metrics = await request(admin.app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toContain(
      `rcc_admin_change_requests_pending{env="production"} ${pending}`,
    );
    expect(metrics.text).toContain('rcc_admin_change_requests_pending{env="staging"} 0');
    const audit = await as('admin').get(prod('/api/audit?limit=200')).expect(200);
    const actions = new Set(audit.body.map((entry: { action: string }) => entry.action));
    for (const action of [
      'change-requested',
      'change-approved',
      'change-applied',
      'change-rejected',
      'change-withdrawn',
    ]) {
      expect(actions).toContain(action);
    }
  });

  it('keeps pending requests across an admin restart', async () => {
    const made = await as('writer')
      .put(prod(groupPath('orders')))
      .send({ config: { qps: 123 } })
      .expect(202);
    await replica.app.close();
    replica = await startTwoEnvironmentAdmin(redis, settings, admin.namespaces);
    const pending = await as('reader', replica)
      .get(prod('/api/changes?status=pending'))
      .expect(200);
    expect(pending.body.map((change: { id: string }) => change.id)).toContain(made.body.id);
    await as('admin', replica).post(`/api/changes/${made.body.id}/approve`).expect(200);
  });
});
