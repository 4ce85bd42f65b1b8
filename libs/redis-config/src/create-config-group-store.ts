import type { ModuleRef } from '@nestjs/core';
import { NodeRegistry } from './assignment/node-registry';
import { RedisConfigConnection } from './connection/redis-config-connection';
import {
  resolveOptions,
  type RedisConfigModuleOptions,
  type ResolvedRedisConfigOptions,
} from './options/redis-config.options';
import { ConfigKeys } from './wire/config-keys';
import { ConfigGroupStore } from './store/config-group.store';
import { RolloutEngine } from './rollouts/rollout-engine';
import { RolloutStore } from './store/rollout-store';

/** What {@link createConfigGroupStore} opened: the publisher's services and how to close them. */
export interface StandaloneStore {
  /** The groups: publish, delete, history, import and export. */
  store: ConfigGroupStore;
  /** The rollouts of the namespace. */
  rollouts: RolloutEngine;
  /** The live nodes. */
  nodes: NodeRegistry;
  /** The options it runs with (env defaults applied, `node: false`). */
  options: ResolvedRedisConfigOptions;
  /** Closes the Redis connection. */
  close(): Promise<void>;
}

/**
 * A publisher without a Nest application (a script, a CLI): the same `ConfigGroupStore`,
 * `RolloutEngine` and `NodeRegistry` that `RedisConfigModule.forRoot({ node: false })` provides,
 * on a connection of their own. Resolves once Redis answers, or after `startupTimeoutMs` (its
 * writes then fail until Redis answers); with `failFast`, rejects with `RedisUnavailableError`
 * instead, having closed the connection. Nest's `Logger` carries the connection's warnings.
 *
 * @param options - As for the module; `node` is ignored (this is never a node), and `redis` must
 * be a connection to open (not `{ namespace }` of an app's shared client).
 * @throws `Error` naming the first bad option, as `resolveOptions` does.
 */
export async function createConfigGroupStore(
  options: RedisConfigModuleOptions = {},
): Promise<StandaloneStore> {
  const resolved = resolveOptions({ ...options, node: false });
  if (resolved.redis.kind === 'shared') {
    throw new Error(
      'createConfigGroupStore(): redis: { namespace } names a client of a Nest app; give a connection',
    );
  }
  // The module reference is read only for a shared client, refused above.
  const connection = new RedisConfigConnection(resolved, null as unknown as ModuleRef);
  await connection.onModuleInit();
  const keys = new ConfigKeys(resolved.namespace);
  const store = new ConfigGroupStore(connection, keys, resolved);
  const nodes = new NodeRegistry(connection, keys);
  return {
    store,
    rollouts: new RolloutEngine(new RolloutStore(connection, keys, resolved), store, nodes),
    nodes,
    options: resolved,
    close: () => connection.onApplicationShutdown(),
  };
}
