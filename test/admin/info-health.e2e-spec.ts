import type { Server } from 'node:http';
import Redis from 'ioredis';
import request from 'supertest';
import { RedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { startAdmin, TestAdmin } from './admin-app';

describe('admin info and health (real app, real Redis)', () => {
  describe('GET /api/info on a password-protected Redis', () => {
    const password = 'redis-pass-do-not-show';
    let redis: RedisServer;
    let admin: TestAdmin;

    beforeAll(async () => {
      redis = await RedisServer.start();
      const client = redis.client();
      await client.config('SET', 'requirepass', password);
      client.disconnect();
      admin = await startAdmin(redis, {
        redisConfig: {
          redis: { url: `redis://:${password}@127.0.0.1:${redis.port}/3` },
          environment: 'STAGING',
        },
      });
    });
    afterAll(async () => {
      await admin.app.close();
      await redis.dispose();
    });

    it("shows the old console's header: host, port, db, namespace, environment, never the password", async () => {
      const http: Server = admin.app.getHttpServer();
      const response = await request(http)
        .get('/api/info')
        .set('Authorization', admin.auth)
        .expect(200);
      expect(response.body).toEqual({
        mode: 'standalone',
        host: '127.0.0.1',
        port: redis.port,
        db: 3,
        endpoints: [`127.0.0.1:${redis.port}`],
        sentinelName: null,
        tls: false,
        namespace: admin.namespace,
        environment: 'STAGING',
        connected: true,
      });
      expect(response.text).not.toContain(password);
      // The admin really works on db 3 with that password: a write lands there.
      await request(http)
        .post('/api/groups')
        .set('Authorization', admin.auth)
        .send({ name: 'g', config: {} })
        .expect(201);
      const client = new Redis({ host: '127.0.0.1', port: redis.port, password, db: 3 });
      try {
        expect(await client.hexists(admin.namespace, 'g')).toBe(1);
      } finally {
        client.disconnect();
      }
    });
  });

  describe('Redis outage', () => {
    let redis: RedisServer;
    let admin: TestAdmin;
    let http: Server;

    beforeAll(async () => {
      redis = await RedisServer.start({ appendOnly: true });
      admin = await startAdmin(redis);
      http = admin.app.getHttpServer();
    });
    afterAll(async () => {
      await admin.app.close();
      await redis.dispose();
    });

    it('reports Redis down (503) on /health and for API calls, and recovers by itself', async () => {
      const api = (method: 'get' | 'put', path: string) =>
        request(http)[method](path).set('Authorization', admin.auth);
      await api('put', '/api/groups/outage')
        .send({ config: { v: 1 } })
        .expect(200);
      expect((await request(http).get('/health')).status).toBe(200);

      await redis.kill();
      const health = await waitFor('health to report Redis down', async () => {
        const response = await request(http).get('/health');
        return response.status === 503 ? response : null;
      });
      expect(health?.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
      await request(http).get('/health/live').expect(200);

      const write = await api('put', '/api/groups/outage').send({ config: { v: 2 } });
      expect(write.status).toBe(503);
      expect(write.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect((await api('get', '/api/groups')).status).toBe(503);
      expect((await api('get', '/api/info')).body.connected).toBe(false);

      await redis.restart();
      await waitFor(
        'health to recover',
        async () => (await request(http).get('/health')).status === 200,
        15_000,
        100,
      );
      const after = await api('put', '/api/groups/outage').send({
        config: { v: 3 },
        expectedVersion: 0,
      });
      expect(after.status).toBe(200);
      // The write refused during the outage left nothing behind: this is version 1.
      expect(after.body.version).toBe(1);
    });
  });
});
