import type { Cluster, Redis } from 'ioredis';
import { ASSIGN_LUA } from './lua/assign.lua';
import { LEASE_KEY_COUNT } from './lua/lease-common.lua';
import { HEARTBEAT_LUA } from './lua/heartbeat.lua';
import { RELEASE_LUA } from './lua/release.lua';
import { NODE_TICK_LUA } from './lua/node-tick.lua';
import { ROLLOUT_PROBLEM_LUA } from './lua/rollout-problem.lua';
import type { NodeCheckReply } from './node-check';

export type RedisClient = Redis | Cluster;
export type ScriptArg = string | number;

/** A script as ioredis `defineCommand` takes it (EVALSHA, falling back to EVAL). */
export interface ScriptDefinition {
  lua: string;
  /** Fixed number of KEYS; left out when the caller passes the count first. */
  numberOfKeys?: number;
}

/** The node's Lua scripts as typed commands. The publisher's are in `publisher-scripts.ts`. */
export interface RedisScripts {
  rccNodeTick(numberOfKeys: number, ...keysAndArgs: ScriptArg[]): Promise<NodeCheckReply>;
  rccAssign(
    ...keysAndArgs: ScriptArg[]
  ): Promise<[string | null, number, number, string, string | null, number, number]>;
  rccHeartbeat(
    numberOfKeys: number,
    ...keysAndArgs: ScriptArg[]
  ): Promise<[string | null, number, number | null, number, NodeCheckReply | null]>;
  rccRelease(...keysAndArgs: ScriptArg[]): Promise<number>;
  rccRolloutProblem(...keysAndArgs: ScriptArg[]): Promise<number>;
}

const NODE_SCRIPTS: Record<keyof RedisScripts, ScriptDefinition> = {
  rccNodeTick: { lua: NODE_TICK_LUA },
  rccAssign: { lua: ASSIGN_LUA, numberOfKeys: LEASE_KEY_COUNT },
  rccHeartbeat: { lua: HEARTBEAT_LUA },
  rccRelease: { lua: RELEASE_LUA, numberOfKeys: LEASE_KEY_COUNT },
  rccRolloutProblem: { lua: ROLLOUT_PROBLEM_LUA, numberOfKeys: 1 },
};

/** Defines scripts on a client once (a shared client may already have them) and returns it typed. */
export function defineScripts<Scripts>(
  client: RedisClient,
  scripts: Record<keyof Scripts, ScriptDefinition>,
): RedisClient & Scripts {
  const target = client as unknown as Record<string, unknown>;
  for (const [name, definition] of Object.entries<ScriptDefinition>(scripts)) {
    if (typeof target[name] !== 'function') client.defineCommand(name, definition);
  }
  return client as RedisClient & Scripts;
}

/** The client with the node's scripts defined. */
export function withScripts(client: RedisClient): RedisClient & RedisScripts {
  return defineScripts<RedisScripts>(client, NODE_SCRIPTS);
}
