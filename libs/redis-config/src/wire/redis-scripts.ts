import type { Cluster, Redis } from 'ioredis';
import { ASSIGN_LUA } from './lua/assign.lua';
import { WRITE_KEY_COUNT } from './lua/record-write.lua';
import { LEASE_KEY_COUNT } from './lua/lease-common.lua';
import { HEARTBEAT_LUA } from './lua/heartbeat.lua';
import { RELEASE_LUA } from './lua/release.lua';
import { DELETE_LUA } from './lua/delete.lua';
import { IMPORT_LUA } from './lua/import.lua';
import { NODE_TICK_LUA } from './lua/node-tick.lua';
import { PUBLISH_LUA } from './lua/publish.lua';
import { ROLLOUT_ADVANCE_LUA } from './lua/rollout-advance.lua';
import { ROLLOUT_BEGIN_LUA } from './lua/rollout-begin.lua';
import { ROLLOUT_DRIVER_LUA } from './lua/rollout-driver.lua';
import { ROLLOUT_PROBLEM_LUA } from './lua/rollout-problem.lua';
import { ROLLOUT_REVERT_LUA } from './lua/rollout-revert.lua';
import type { NodeCheckReply } from './node-check';

export type RedisClient = Redis | Cluster;
type Arg = string | number;

/** Our Lua scripts as typed commands (ioredis `defineCommand`: EVALSHA, falling back to EVAL). */
export interface RedisScripts {
  rccPublish(...keysAndArgs: Arg[]): Promise<[string, number, (string | null)?]>;
  rccDelete(...keysAndArgs: Arg[]): Promise<number>;
  rccImport(numberOfKeys: number, ...keysAndArgs: Arg[]): Promise<[string, string?, number?]>;
  rccNodeTick(numberOfKeys: number, ...keysAndArgs: Arg[]): Promise<NodeCheckReply>;
  rccAssign(
    ...keysAndArgs: Arg[]
  ): Promise<[string | null, number, number, string, string | null, number, number]>;
  rccHeartbeat(
    numberOfKeys: number,
    ...keysAndArgs: Arg[]
  ): Promise<[string | null, number, number | null, number, NodeCheckReply | null]>;
  rccRelease(...keysAndArgs: Arg[]): Promise<number>;
  rccRolloutBegin(...keysAndArgs: Arg[]): Promise<[string, (string | number)?]>;
  rccRolloutAdvance(...keysAndArgs: Arg[]): Promise<number>;
  rccRolloutRevert(...keysAndArgs: Arg[]): Promise<[number, number?]>;
  rccRolloutProblem(...keysAndArgs: Arg[]): Promise<number>;
  rccRolloutDriver(...keysAndArgs: Arg[]): Promise<number>;
}

const SCRIPTS: Record<keyof RedisScripts, { lua: string; numberOfKeys?: number }> = {
  rccPublish: { lua: PUBLISH_LUA, numberOfKeys: WRITE_KEY_COUNT + 1 },
  rccDelete: { lua: DELETE_LUA, numberOfKeys: WRITE_KEY_COUNT + 3 },
  rccImport: { lua: IMPORT_LUA },
  rccNodeTick: { lua: NODE_TICK_LUA },
  rccAssign: { lua: ASSIGN_LUA, numberOfKeys: LEASE_KEY_COUNT },
  rccHeartbeat: { lua: HEARTBEAT_LUA },
  rccRelease: { lua: RELEASE_LUA, numberOfKeys: LEASE_KEY_COUNT },
  rccRolloutBegin: { lua: ROLLOUT_BEGIN_LUA, numberOfKeys: 3 },
  rccRolloutAdvance: { lua: ROLLOUT_ADVANCE_LUA, numberOfKeys: 2 },
  rccRolloutRevert: { lua: ROLLOUT_REVERT_LUA, numberOfKeys: WRITE_KEY_COUNT + 3 },
  rccRolloutProblem: { lua: ROLLOUT_PROBLEM_LUA, numberOfKeys: 1 },
  rccRolloutDriver: { lua: ROLLOUT_DRIVER_LUA, numberOfKeys: 1 },
};

/** Defines our scripts on a client once (a shared client may already have them) and returns it typed. */
export function withScripts(client: RedisClient): RedisClient & RedisScripts {
  const target = client as RedisClient & Partial<RedisScripts>;
  for (const [name, definition] of Object.entries(SCRIPTS)) {
    if (typeof target[name as keyof RedisScripts] !== 'function') {
      client.defineCommand(name, definition);
    }
  }
  return target as RedisClient & RedisScripts;
}
