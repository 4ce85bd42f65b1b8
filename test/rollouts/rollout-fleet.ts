import { INestApplicationContext } from '@nestjs/common';
import { ConfigChangeEvent, ConfigGroupService } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { ApiKeyClient } from '../../apps/example/src/api-key.client';
import { validateExampleConfig } from '../../apps/example/src/example-config.validation';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer } from '../helpers/redis-server';

/** A node of a rollout test: the example's validation and API-key client, and every change seen. */
export interface FleetNode {
  id: string;
  app: INestApplicationContext;
  config: ConfigGroupService;
  /** Every change event this node emitted, in order. */
  seen: ConfigChangeEvent[];
}

/** Starts a node as the example node runs (validate + ApiKeyClient that reports `revoked-` keys). */
export async function startFleetNode(
  redis: RedisServer,
  namespace: string,
  id: string,
  options: { group?: string; pool?: string; maxNodesPerGroup?: number; refreshMs?: number } = {},
): Promise<FleetNode> {
  const { app, config } = await startNode(
    {
      redis: { url: redis.url },
      namespace,
      nodeId: id,
      group: options.group ?? 'team-a',
      pool: options.pool,
      maxNodesPerGroup: options.maxNodesPerGroup,
      refreshMs: options.refreshMs ?? 1000,
      validate: validateExampleConfig,
    },
    [ApiKeyClient],
  );
  const seen: ConfigChangeEvent[] = [];
  config.onChange((event) => seen.push(event));
  return { id, app, config, seen };
}

export async function startFleetPublisher(
  redis: RedisServer,
  namespace: string,
): Promise<{ app: INestApplicationContext; store: ConfigGroupStore }> {
  return startPublisher({ redis: { url: redis.url }, namespace });
}

/** What a node runs now: version and apikey. */
export function runs(node: FleetNode): { version: number | null; apikey: unknown } {
  return {
    version: node.config.getConfigGroup()?.version ?? null,
    apikey: node.config.get('apikey'),
  };
}
