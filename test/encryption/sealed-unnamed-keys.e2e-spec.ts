import type { INestApplicationContext } from '@nestjs/common';
import { groupPath, startAdmin, TestAdmin } from '../admin/admin-app';
import { roleTokens } from '../admin/role-tokens';
import { startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { newEncryptionKey } from './encryption-keys';
import request from 'supertest';

const DB_URL = 'postgres://app:s3cret-db-password@db:5432/app';

/**
 * Issue 23 #4: a value sealed by a publisher with wider RCC_SECRET_KEYS (here `db_url`), read by an
 * admin whose globs do not name it, used to be served in clear and saved back unencrypted. A
 * sealed value is a secret whatever its name: masked, and sealed again on every write.
 */
describe('values stored encrypted under a key name this admin does not mask', () => {
  const key = newEncryptionKey();
  let redis: RedisServer;
  let admin: TestAdmin;
  let publisher: INestApplicationContext;
  const roles = roleTokens('sealed');
  const as = (role: 'reader' | 'writer' | 'admin') => {
    const server = () => admin.app.getHttpServer();
    const auth = `Bearer ${roles.tokens[role]}`;
    return {
      get: (path: string) => request(server()).get(path).set('Authorization', auth),
      put: (path: string, body: object) =>
        request(server()).put(path).set('Authorization', auth).send(body),
    };
  };
  const stored = async (): Promise<Record<string, unknown>> => {
    const raw = redis.client();
    try {
      const json = JSON.parse((await raw.hget(admin.namespace, 'payments')) ?? '{}') as {
        config_dict: Record<string, unknown>;
      };
      return json.config_dict;
    } finally {
      raw.disconnect();
    }
  };
  const sealed = (value: unknown) => typeof value === 'string' && value.startsWith('rcc:enc:v1:');

  beforeAll(async () => {
    redis = await RedisServer.start();
    const namespace = uniqueNamespace('sealed-unnamed');
    admin = await startAdmin(redis, {
      settings: { tokens: roles.settings, secretKeys: '*apikey*', writeRateLimit: 0 },
      redisConfig: { namespace, encryptionKeys: [key.key] },
    });
    const wide = await startPublisher({
      redis: { url: redis.url },
      namespace,
      encryptionKeys: [key.key],
      secretKeys: '*apikey*,db_url',
    });
    publisher = wide.app;
    await wide.store.publish('payments', { apikey: 'AIza-0123456789', db_url: DB_URL, qps: 5 });
    expect(sealed((await stored()).db_url)).toBe(true);
  });
  afterAll(async () => {
    await publisher?.close();
    await admin?.app.close();
    await redis?.dispose();
  });

  it('masks it in every read, export and history, and reveals it to an admin who asks', async () => {
    for (const path of [groupPath('payments'), `${groupPath('payments')}/history`, '/api/export']) {
      const answer = await as('reader').get(path);
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).not.toContain('s3cret-db-password');
    }
    const group = (await as('reader').get(groupPath('payments'))).body as {
      config: Record<string, unknown>;
    };
    expect(String(group.config.db_url)).toMatch(/^••••/);
    const exported = (await as('reader').get('/api/export')).body as Record<string, unknown>[];
    expect(exported[0]).not.toHaveProperty('sealed_keys'); // the old format, as it was
    const revealed = (await as('admin').get(`${groupPath('payments')}?reveal=true`)).body as {
      config: Record<string, unknown>;
    };
    expect(revealed.config.db_url).toBe(DB_URL);
  });

  it('keeps it encrypted when a writer saves the masked config back, or gives it a new value', async () => {
    const masked = (await as('writer').get(groupPath('payments'))).body as {
      config: Record<string, unknown>;
    };
    expect(
      (await as('writer').put(groupPath('payments'), { config: { ...masked.config, qps: 6 } }))
        .status,
    ).toBe(200);
    let config = await stored();
    expect(sealed(config.db_url)).toBe(true);
    expect(config.qps).toBe(6);
    const reveal = async () =>
      (
        (await as('admin').get(`${groupPath('payments')}?reveal=true`)).body as {
          config: Record<string, unknown>;
        }
      ).config;
    expect((await reveal()).db_url).toBe(DB_URL);

    const next = 'postgres://app:rotated-db-password@db:5432/app';
    expect(
      (
        await as('writer').put(groupPath('payments'), {
          config: { ...masked.config, db_url: next },
        })
      ).status,
    ).toBe(200);
    config = await stored();
    expect(sealed(config.db_url)).toBe(true);
    expect(JSON.stringify(config)).not.toContain('rotated-db-password');
    expect((await reveal()).db_url).toBe(next);
  });
});
