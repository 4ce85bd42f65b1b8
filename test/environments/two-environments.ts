import type { RedisConfigModuleOptions } from '@rcc/redis-config';
import Redis from 'ioredis';
import { parseEnvironments } from '../../apps/admin/src/environments/environment-list';
import type { AdminSettings } from '../../apps/admin/src/settings/admin-settings';
import { startAdmin, TestAdmin } from '../admin/admin-app';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';

export const PRODUCTION_PASSWORD = 'prod-redis-pa55word';

/** Two real Redis servers: staging (open) and production (requirepass). */
export interface TwoRedis {
  staging: RedisServer;
  production: RedisServer;
  /** A client of the production server, with its password (closed by the caller). */
  productionClient(): Redis;
  dispose(): Promise<void>;
}

export async function startTwoRedis(): Promise<TwoRedis> {
  const [staging, production] = await Promise.all([RedisServer.start(), RedisServer.start()]);
  // Set once it answered: the helper waits for an unauthenticated PING.
  const client = production.client();
  await client.config('SET', 'requirepass', PRODUCTION_PASSWORD);
  client.disconnect();
  return {
    staging,
    production,
    productionClient: () =>
      new Redis({ host: '127.0.0.1', port: production.port, password: PRODUCTION_PASSWORD }),
    dispose: async () => {
      await Promise.all([staging.dispose(), production.dispose()]);
    },
  };
}

/** `RCC_ENVIRONMENTS` for these two servers, each under a fresh namespace. */
export function environmentsVariable(
  redis: TwoRedis,
  namespaces = { staging: uniqueNamespace('stg'), production: uniqueNamespace('prd') },
): {
  value: string;
  namespaces: { staging: string; production: string };
} {
  return {
    namespaces,
    value:
      `staging=redis://127.0.0.1:${redis.staging.port}?namespace=${namespaces.staging},` +
      `production=redis://:${PRODUCTION_PASSWORD}@127.0.0.1:${redis.production.port}` +
      `?namespace=${namespaces.production}`,
  };
}

/**
 * The admin of `admin-app.ts` (same factory, in process) serving both environments, as
 * `RCC_ENVIRONMENTS` (and `RCC_PROTECTED_ENVIRONMENTS`) would configure it.
 */
export async function startTwoEnvironmentAdmin(
  redis: TwoRedis,
  settings: Partial<AdminSettings> & { protectedEnvironments?: string } = {},
  /** The namespaces of another admin: a second replica over the same data. */
  shared?: { staging: string; production: string },
): Promise<TestAdmin & { namespaces: { staging: string; production: string } }> {
  const { value, namespaces } = environmentsVariable(redis, shared);
  const redisConfig: RedisConfigModuleOptions = { namespace: namespaces.staging };
  const admin = await startAdmin(redis.staging, {
    settings: { environments: parseEnvironments(value), ...settings },
    redisConfig,
  });
  return { ...admin, namespaces };
}

/** Writes a group as the old project's nodes do (a plain HSET of the stored record). */
export async function seedGroup(
  client: Redis,
  namespace: string,
  name: string,
  config: Record<string, unknown>,
): Promise<void> {
  const record = { group_name: name, group_version: 0, config_dict: config };
  await client.hset(namespace, name, JSON.stringify(record));
  client.disconnect();
}
