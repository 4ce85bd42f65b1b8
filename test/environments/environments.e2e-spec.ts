import request from 'supertest';
import { authorizedApi, groupPath, TestAdmin } from '../admin/admin-app';
import {
  PRODUCTION_PASSWORD,
  startTwoEnvironmentAdmin,
  startTwoRedis,
  TwoRedis,
} from './two-environments';

/**
 * One admin over two Redis servers (DESIGN §19): `?env=` picks the environment on every route,
 * the first is the default, an unknown one is a 400 naming the known ones, and
 * `GET /api/environments` never shows a connection secret.
 */
describe('environments: one admin, two Redis servers', () => {
  let redis: TwoRedis;
  let admin: TestAdmin & { namespaces: { staging: string; production: string } };
  const api = authorizedApi(() => admin);

  beforeAll(async () => {
    redis = await startTwoRedis();
    admin = await startTwoEnvironmentAdmin(redis);
  });

  afterAll(async () => {
    await admin?.app.close();
    await redis?.dispose();
  });

  it('lists the environments in order, without any connection secret', async () => {
    const response = await api.get('/api/environments').expect(200);
    expect(response.body).toEqual([
      { name: 'staging', namespace: admin.namespaces.staging, protected: false },
      { name: 'production', namespace: admin.namespaces.production, protected: false },
    ]);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(PRODUCTION_PASSWORD);
    expect(text).not.toContain(String(redis.production.port));
  });

  it('writes and reads each environment in its own Redis; the first is the default', async () => {
    await api
      .put(`${groupPath('orders')}?env=production`)
      .send({ config: { qps: 5 } })
      .expect(200);
    await api
      .put(groupPath('orders'))
      .send({ config: { qps: 50 } })
      .expect(200);
    await api
      .put(groupPath('orders'))
      .send({ config: { qps: 51 } })
      .expect(200);
    const production = await api.get(`${groupPath('orders')}?env=production`).expect(200);
    expect(production.body).toMatchObject({ version: 0, config: { qps: 5 } });
    const staging = await api.get(`${groupPath('orders')}?env=staging`).expect(200);
    expect(staging.body).toMatchObject({ version: 1, config: { qps: 51 } });
    // Really in the production server, under its namespace (the password is required there).
    const client = redis.productionClient();
    expect(await client.hget(admin.namespaces.production, 'orders')).toContain('"qps":5');
    client.disconnect();
  });

  it('keeps the routes own query fields beside ?env= (search, history, info)', async () => {
    const list = await api.get('/api/groups?env=production&search=ord').expect(200);
    expect(list.body.map((group: { name: string }) => group.name)).toEqual(['orders']);
    const history = await api.get(`${groupPath('orders')}/history?env=staging`).expect(200);
    expect(history.body).toHaveLength(2);
    const info = await api.get('/api/info?env=production').expect(200);
    expect(info.body).toMatchObject({
      environment: 'production',
      namespace: admin.namespaces.production,
      port: redis.production.port,
      connected: true,
    });
    expect(JSON.stringify(info.body)).not.toContain(PRODUCTION_PASSWORD);
    await api.get('/api/nodes?env=production').expect(200);
    await api.get('/api/export?env=production').expect(200);
  });

  it('answers an unknown environment with a 400 naming the known ones, after the token', async () => {
    const response = await api.get('/api/groups?env=prod').expect(400);
    expect(response.body.message).toBe('Unknown environment "prod": known are staging, production');
    await api
      .put(`${groupPath('orders')}?env=prod`)
      .send({ config: { a: 1 } })
      .expect(400);
    // Without a token: 401, and no environment name is given away.
    const stranger = await request(admin.app.getHttpServer())
      .get('/api/groups?env=prod')
      .expect(401);
    expect(JSON.stringify(stranger.body)).not.toContain('production');
  });
});
