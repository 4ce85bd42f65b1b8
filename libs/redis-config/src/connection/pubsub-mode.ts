import type { RedisClient } from '../wire/redis-scripts';
import type { ConfigKeys } from '../wire/config-keys';

/** How the namespace's channels are published and heard (docs/PROTOCOL.md). */
export type PubSubMode = 'sharded' | 'plain';

/**
 * The namespace's pub/sub: `plain` when `{ns}:protocol` says so (an operator's choice, or a test
 * forcing the fallback), else `sharded` when the server knows SPUBLISH (Redis 7), else `plain`.
 * The scripts decide the same way on the same server, so publishers and nodes always agree.
 */
export async function pubSubModeOf(client: RedisClient, keys: ConfigKeys): Promise<PubSubMode> {
  if ((await client.hget(keys.protocol, 'pubsub')) === 'plain') return 'plain';
  const info = (await client.call('COMMAND', 'INFO', 'SPUBLISH')) as unknown[];
  return Array.isArray(info) && Array.isArray(info[0]) ? 'sharded' : 'plain';
}
