/**
 * The RESP3 one-connection experiment applied to the e2e suites (docs/BENCHMARKS.md § RESP3):
 *
 *   npx jest --runInBand --setupFilesAfterEnv ./bench/resp3-one-connection.jest-setup.ts \
 *     test/faults/redis-kill test/faults/redis-pause test/scale/cluster-sentinel
 *
 * Every node started in the jest process (not the built apps a suite spawns) opens its own
 * standalone / Sentinel client on RESP3 (`protocol: 3`, ioredis's auto-resubscribe off, as on the
 * released subscriber) and subscribes on it: no second connection. A Cluster keeps its
 * subscriber (ioredis routes SUBSCRIBE / SSUBSCRIBE to dedicated connections whatever the
 * protocol). Each client so opened appends `resp3`, and each node that subscribes on it
 * `one-connection`, to $RCC_RESP3_MARKER (when set): a run shows the experiment was in force.
 */
import { appendFileSync } from 'node:fs';
import { Cluster } from 'ioredis';
import {
  createRedisClient,
  RedisConfigConnection,
} from '@rcc/redis-config/connection/redis-config-connection';
import type { ResolvedRedisConfigOptions } from '@rcc/redis-config/publisher';

type Patched = { options: ResolvedRedisConfigOptions; client: unknown };

const prototype = RedisConfigConnection.prototype as unknown as Record<string, unknown>;
prototype.open = function open(this: Patched) {
  const { redis } = this.options;
  if (redis.kind === 'standalone' || redis.kind === 'sentinel') {
    if (process.env.RCC_RESP3_MARKER) appendFileSync(process.env.RCC_RESP3_MARKER, 'resp3\n');
    return createRedisClient({
      ...redis,
      options: { ...redis.options, protocol: 3, autoResubscribe: false },
    });
  }
  return createRedisClient(redis);
};
const subscriber = Object.getOwnPropertyDescriptor(RedisConfigConnection.prototype, 'subscriber');
Object.defineProperty(RedisConfigConnection.prototype, 'subscriber', {
  configurable: true,
  get(this: RedisConfigConnection) {
    const client = this.client;
    const own = (this as unknown as { ownsClient: boolean }).ownsClient;
    if (!own || client instanceof Cluster || client.options.protocol !== 3) {
      return subscriber?.get?.call(this);
    }
    const marked = this as unknown as { resp3Marked?: boolean };
    if (process.env.RCC_RESP3_MARKER && !marked.resp3Marked) {
      marked.resp3Marked = true;
      appendFileSync(process.env.RCC_RESP3_MARKER, 'one-connection\n');
    }
    return client;
  },
});
