import type { ResolvedRedisConfigOptions } from '@rcc/redis-config/publisher';

/** The old console's header: where the groups live. Never holds a password or a token. */
export interface ServerInfo {
  mode: 'standalone' | 'sentinel' | 'cluster' | 'shared';
  /** The Redis server (standalone), the first sentinel, or the first cluster node. */
  host: string | null;
  port: number | null;
  db: number;
  /** Every address configured (sentinels or cluster nodes), as `host:port`. */
  endpoints: string[];
  /** The master name, with Sentinel. */
  sentinelName: string | null;
  tls: boolean;
  /** The groups hash key ("Config Server Name" in the old console). */
  namespace: string;
  /** `REDIS_CONFIG_CENTER_TYPE`. */
  environment: string;
  connected: boolean;
}

/** Builds the header from the resolved options, picking out only what is safe to show. */
export function serverInfo(options: ResolvedRedisConfigOptions, connected: boolean): ServerInfo {
  const common = { namespace: options.namespace, environment: options.environment, connected };
  const { redis } = options;
  switch (redis.kind) {
    case 'standalone': {
      const host = redis.options.host ?? 'localhost';
      const port = redis.options.port ?? 6379;
      return {
        mode: 'standalone',
        host,
        port,
        db: redis.options.db ?? 0,
        endpoints: [`${host}:${port}`],
        sentinelName: null,
        tls: Boolean(redis.options.tls),
        ...common,
      };
    }
    case 'sentinel': {
      const sentinels = (redis.options.sentinels ?? []).map((s) => ({
        host: s.host ?? 'localhost',
        port: s.port ?? 26379,
      }));
      return {
        mode: 'sentinel',
        host: sentinels[0]?.host ?? null,
        port: sentinels[0]?.port ?? null,
        db: redis.options.db ?? 0,
        endpoints: sentinels.map((s) => `${s.host}:${s.port}`),
        sentinelName: redis.options.name ?? null,
        tls: Boolean(redis.options.tls),
        ...common,
      };
    }
    case 'cluster': {
      const nodes = redis.nodes.map((node) =>
        typeof node === 'object'
          ? { host: node.host ?? 'localhost', port: node.port ?? 6379 }
          : typeof node === 'number'
            ? { host: 'localhost', port: node }
            : hostPort(node),
      );
      return {
        mode: 'cluster',
        host: nodes[0]?.host ?? null,
        port: nodes[0]?.port ?? null,
        db: 0,
        endpoints: nodes.map((n) => `${n.host}:${n.port}`),
        sentinelName: null,
        tls: Boolean(redis.options.redisOptions?.tls),
        ...common,
      };
    }
    case 'shared':
      return {
        mode: 'shared',
        host: null,
        port: null,
        db: 0,
        endpoints: [],
        sentinelName: null,
        tls: false,
        ...common,
      };
  }
}

function hostPort(value: string): { host: string; port: number } {
  const match = /^(?:rediss?:\/\/)?(?:[^@/]*@)?([^:/]+)(?::(\d+))?/.exec(value);
  return { host: match?.[1] ?? value, port: Number(match?.[2] ?? 6379) };
}
