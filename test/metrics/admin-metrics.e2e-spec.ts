import request from 'supertest';
import { groupPath, startAdmin, TestAdmin } from '../admin/admin-app';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text';
import { RedisServer } from '../helpers/redis-server';

/** The admin's GET /metrics in process (the built admin with METRICS_TOKEN: scrape.e2e-spec). */
describe('admin GET /metrics', () => {
  let redis: RedisServer;
  let admin: TestAdmin;

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = await startAdmin(redis);
  });

  afterAll(async () => {
    await admin?.app.close();
    await redis?.dispose();
  });

  const http = () => request(admin.app.getHttpServer());

  it('is open without ADMIN_TOKEN and counts writes by kind and requests by route pattern', async () => {
    await http()
      .put(groupPath('m-one'))
      .set('Authorization', admin.auth)
      .send({ config: { a: 1 } })
      .expect(200);
    await http()
      .put(groupPath('m-one'))
      .set('Authorization', admin.auth)
      .send({ config: { a: 2 } })
      .expect(200);
    await http().get(groupPath('m-one')).expect(401);

    const response = await http().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusText(response.text);
    expect(sampleValue(families, 'rcc_groups')).toBe(1);
    expect(sampleValue(families, 'rcc_group_latest_version', { group: 'm-one' })).toBe(1);
    expect(sampleValue(families, 'rcc_group_nodes', { group: 'm-one' })).toBe(0);
    expect(sampleValue(families, 'rcc_admin_writes_total', { kind: 'published' })).toBe(2);
    expect(sampleValue(families, 'rcc_admin_redis_connected')).toBe(1);
    // One series per status, 0 while no group has had a rollout.
    expect(families.get('rcc_rollouts')?.samples).toHaveLength(6);
    expect(sampleValue(families, 'rcc_rollouts', { status: 'canary' })).toBe(0);
    const route = { route: '/api/groups/:name', method: 'PUT', status: '200' };
    expect(sampleValue(families, 'rcc_admin_http_request_duration_seconds_count', route)).toBe(2);
    expect(
      sampleValue(families, 'rcc_admin_http_request_duration_seconds_count', {
        route: '/api/groups/:name',
        method: 'GET',
        status: '401',
      }),
    ).toBe(1);
  });

  it('reads the groups hash at most once a second however often it is scraped', async () => {
    // An open /metrics used to read and parse the whole hash on every scrape (issue 23, lower).
    const client = redis.client();
    try {
      await http().get('/metrics').expect(200); // a reading, fresh after the writes above
      await client.config('RESETSTAT');
      const started = Date.now();
      for (let i = 0; i < 30; i++) {
        // A refused write in between changes nothing: it must not force a new reading.
        await http().put(groupPath('m-one')).send({ config: {} }).expect(401);
        await http().get('/metrics').expect(200);
      }
      const elapsedMs = Date.now() - started;
      const stats = String(await client.info('commandstats'));
      const reads = Number(/cmdstat_hgetall:calls=(\d+)/.exec(stats)?.[1] ?? 0);
      // At most one reading a second (FLEET_READ_TTL_MS), whatever the scrape rate.
      expect(reads).toBeLessThanOrEqual(Math.floor(elapsedMs / 1000) + 1);
      expect(reads).toBeLessThan(30);
      // A write through this admin is shown at the next scrape.
      await http()
        .put(groupPath('m-two'))
        .set('Authorization', admin.auth)
        .send({ config: { b: 1 } })
        .expect(200);
      const families = parsePrometheusText((await http().get('/metrics').expect(200)).text);
      expect(sampleValue(families, 'rcc_groups')).toBe(2);
    } finally {
      client.disconnect();
    }
  });
});
