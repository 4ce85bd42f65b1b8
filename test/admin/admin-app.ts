import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { RedisConfigModuleOptions } from '@rcc/redis-config';
import { createAdminApp } from '../../apps/admin/src/admin-app.factory';
import { AdminSettings, resolveAdminSettings } from '../../apps/admin/src/settings/admin-settings';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface TestAdmin {
  app: NestExpressApplication;
  namespace: string;
  settings: AdminSettings;
  /** `Authorization` header value of the test token. */
  auth: string;
}

/**
 * The admin service exactly as `main.ts` builds it (same factory), on a real Redis, under a
 * namespace of its own. The microservice is off unless asked for: its message patterns are
 * global to a Redis server, so only the suite that tests them starts it.
 */
export async function startAdmin(
  redis: RedisServer,
  options: { settings?: Partial<AdminSettings>; redisConfig?: RedisConfigModuleOptions } = {},
): Promise<TestAdmin> {
  const namespace = options.redisConfig?.namespace ?? uniqueNamespace('admin');
  const settings = resolveAdminSettings(
    {},
    {
      tokens: [{ label: 'tester', token: TEST_TOKEN }],
      microservice: false,
      ...options.settings,
    },
  );
  const app = await createAdminApp({
    settings,
    redisConfig: {
      redis: { url: redis.url },
      startupTimeoutMs: 2000,
      ...options.redisConfig,
      namespace,
    },
    logger: false,
  });
  return { app, namespace, settings, auth: `Bearer ${settings.tokens[0].token}` };
}

/** supertest requests that carry the test token, to the admin `current()` returns at call time. */
export function authorizedApi(current: () => TestAdmin) {
  const call = (method: 'get' | 'post' | 'put' | 'delete') => (path: string) =>
    request(current().app.getHttpServer())[method](path).set('Authorization', current().auth);
  return { get: call('get'), post: call('post'), put: call('put'), delete: call('delete') };
}

export const groupPath = (name: string) => `/api/groups/${encodeURIComponent(name)}`;
