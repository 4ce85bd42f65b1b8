import { RedisOptions, Transport } from '@nestjs/microservices';
import type { ResolvedRedisConfigOptions } from '@rcc/redis-config/publisher';

// The transport gives up after `retryAttempts`: keep trying, so it serves again after an outage.
// RESP2, as the library's own connections (docs/OPERATIONS.md); ioredis 5 ignores `protocol`.
const RECONNECT = { retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: 1000, protocol: 2 };

/**
 * The transport's options. Nest declares its own copy of ioredis's options, written for ioredis 5:
 * ioredis 6 also takes a TLS profile name (`tls: 'RedisCloudFixed'`), which that copy does not
 * know. The transport hands the options to the app's own ioredis, which does: passed on as is.
 */
type TransportConnection = NonNullable<RedisOptions['options']>;

/**
 * The Redis transport of the message patterns, on the same Redis as the groups. A cluster is
 * reached through its first node: the transport only uses PUBLISH/SUBSCRIBE, which a cluster
 * broadcasts to every node.
 */
export function redisTransportOptions(options: ResolvedRedisConfigOptions): RedisOptions {
  const { redis } = options;
  switch (redis.kind) {
    case 'standalone':
    case 'sentinel': {
      // The transport decides its own reconnection (below).
      const { retryStrategy: _ignored, ...connection } = redis.options;
      return {
        transport: Transport.REDIS,
        options: { ...connection, ...RECONNECT } as TransportConnection,
      };
    }
    case 'cluster': {
      const first = redis.nodes[0];
      const address =
        typeof first === 'object'
          ? { host: first.host, port: first.port }
          : typeof first === 'number'
            ? { port: first }
            : { host: first };
      return {
        transport: Transport.REDIS,
        options: {
          ...redis.options.redisOptions,
          ...address,
          ...RECONNECT,
        } as TransportConnection,
      };
    }
    case 'shared':
      throw new Error(
        'The admin microservice needs its own Redis connection settings: set REDIS_URL ' +
          '(or ADMIN_MICROSERVICE=false)',
      );
  }
}
