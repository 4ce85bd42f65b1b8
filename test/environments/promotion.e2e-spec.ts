import request from 'supertest';
import { groupPath } from '../admin/admin-app';
import { roleTokens } from '../admin/role-tokens';
import { startTwoEnvironmentAdmin, startTwoRedis, TwoRedis } from './two-environments';

const { tokens, settings: tokenSettings } = roleTokens('promo');
const STAGING_KEY = 'staging-apikey-0001';
const PRODUCTION_KEY = 'production-apikey-9999';

/**
 * Compare and promote between two environments on two Redis servers (DESIGN §19): secret keys
 * are compared but never shown, and stay as production has them unless an admin lists them.
 */
describe('compare and promote between environments', () => {
  let redis: TwoRedis;
  let admin: Awaited<ReturnType<typeof startTwoEnvironmentAdmin>>;
  const as = (role: keyof typeof tokens) => {
    const call = (method: 'get' | 'post' | 'put') => (path: string) =>
      request(admin.app.getHttpServer())
        [method](path)
        .set('Authorization', `Bearer ${tokens[role]}`);
    return { get: call('get'), post: call('post'), put: call('put') };
  };

  beforeAll(async () => {
    redis = await startTwoRedis();
    admin = await startTwoEnvironmentAdmin(redis, { tokens: tokenSettings });
  });

  afterAll(async () => {
    await admin?.app.close();
    await redis?.dispose();
  });

  beforeEach(async () => {
    const staging = { qps: 10, timeout_ms: 5, apikey: STAGING_KEY, new_flag: true };
    const production = { qps: 5, timeout_ms: 5, apikey: PRODUCTION_KEY, old: 1 };
    const name = expect.getState().currentTestName?.includes('rollout') ? 'roll' : 'orders';
    await as('writer')
      .put(`${groupPath(name)}?env=staging`)
      .send({ config: staging })
      .expect(200);
    await as('writer')
      .put(`${groupPath(name)}?env=production`)
      .send({ config: production })
      .expect(200);
  });

  async function productionConfig(name = 'orders'): Promise<Record<string, unknown>> {
    const response = await as('admin')
      .get(`${groupPath(name)}?env=production&reveal=true`)
      .expect(200);
    return response.body.config as Record<string, unknown>;
  }

  it('compares key by key; a secret key is compared but never shown', async () => {
    const response = await as('reader')
      .get(`${groupPath('orders')}/compare?from=staging&to=production`)
      .expect(200);
    expect(response.body.from).toEqual({ env: 'staging', version: expect.any(Number) });
    expect(response.body.to).toEqual({ env: 'production', version: expect.any(Number) });
    expect(response.body.keys).toEqual([
      { key: 'apikey', status: 'changed', secret: true },
      { key: 'new_flag', status: 'added', secret: false, from: true },
      { key: 'old', status: 'removed', secret: false, to: 1 },
      { key: 'qps', status: 'changed', secret: false, from: 10, to: 5 },
      { key: 'timeout_ms', status: 'same', secret: false, from: 5, to: 5 },
    ]);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(STAGING_KEY.slice(-6));
    expect(text).not.toContain(PRODUCTION_KEY.slice(-6));
  });

  it('refuses an unknown environment (400 naming the known ones) and one environment twice', async () => {
    const unknown = await as('reader')
      .get(`${groupPath('orders')}/compare?from=qa&to=production`)
      .expect(400);
    expect(unknown.body.message).toContain('known are staging, production');
    await as('reader')
      .get(`${groupPath('orders')}/compare?from=staging&to=staging`)
      .expect(400);
    await as('reader')
      .get(`${groupPath('orders')}/compare?from=staging`)
      .expect(400);
    await as('reader')
      .get(`${groupPath('absent')}/compare?from=staging&to=production`)
      .expect(404);
  });

  it('promotes every differing key but the secrets, which keep production’s values', async () => {
    await as('reader')
      .post(`${groupPath('orders')}/promote`)
      .send({ from: 'staging', to: 'production' })
      .expect(403);
    const response = await as('writer')
      .post(`${groupPath('orders')}/promote`)
      .send({ from: 'staging', to: 'production' })
      .expect(200);
    expect(response.body.promotion).toMatchObject({
      keys: ['new_flag', 'old', 'qps'],
      keptSecretKeys: ['apikey'],
    });
    expect(JSON.stringify(response.body)).not.toContain(PRODUCTION_KEY);
    expect(await productionConfig()).toEqual({
      qps: 10,
      timeout_ms: 5,
      apikey: PRODUCTION_KEY,
      new_flag: true,
    });
  });

  it('copies a secret key only when an admin lists it', async () => {
    const refused = await as('writer')
      .post(`${groupPath('orders')}/promote`)
      .send({ from: 'staging', to: 'production', keys: ['qps', 'apikey'] })
      .expect(403);
    expect(refused.body.message).toContain('needs the "admin" role');
    expect((await productionConfig()).apikey).toBe(PRODUCTION_KEY);
    await as('admin')
      .post(`${groupPath('orders')}/promote`)
      .send({ from: 'staging', to: 'production', keys: ['apikey'] })
      .expect(200);
    expect(await productionConfig()).toMatchObject({ apikey: STAGING_KEY, qps: 5 });
  });

  it('answers 409 on a stale expectedVersion of the target, writing nothing', async () => {
    const compared = await as('reader')
      .get(`${groupPath('orders')}/compare?from=staging&to=production`)
      .expect(200);
    const seen = compared.body.to.version as number;
    await as('writer')
      .put(`${groupPath('orders')}?env=production`)
      .send({ config: { qps: 6 } })
      .expect(200);
    await as('writer')
      .post(`${groupPath('orders')}/promote`)
      .send({ from: 'staging', to: 'production', expectedVersion: seen })
      .expect(409);
    expect(await productionConfig()).toEqual({ qps: 6 });
  });

  it('starts a rollout in the target environment when given steps', async () => {
    const response = await as('writer')
      .post(`${groupPath('roll')}/promote`)
      .send({ from: 'staging', to: 'production', steps: [{ percent: 50, bakeMs: 600_000 }] })
      .expect(200);
    expect(response.body).toMatchObject({ group: 'roll', status: 'canary' });
    expect(response.body.promotion.keys).toEqual(['new_flag', 'old', 'qps']);
    const current = await as('reader')
      .get(`${groupPath('roll')}/rollouts/current?env=production`)
      .expect(200);
    expect(current.body.status).toBe('canary');
    await as('reader')
      .get(`${groupPath('roll')}/rollouts/current?env=staging`)
      .expect(404);
    await as('writer')
      .post(`${groupPath('roll')}/rollouts/current/abort?env=production`)
      .expect(200);
  });
});
