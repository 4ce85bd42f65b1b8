import { DELETE_LUA } from './lua/delete.lua';
import { IMPORT_LUA } from './lua/import.lua';
import { PUBLISH_LUA } from './lua/publish.lua';
import { WRITE_KEY_COUNT } from './lua/record-write.lua';
import { ROLLOUT_ADVANCE_LUA } from './lua/rollout-advance.lua';
import { ROLLOUT_BEGIN_LUA } from './lua/rollout-begin.lua';
import { ROLLOUT_DRIVER_LUA } from './lua/rollout-driver.lua';
import { ROLLOUT_REVERT_LUA } from './lua/rollout-revert.lua';
import { defineScripts, RedisClient, ScriptArg, ScriptDefinition } from './redis-scripts';

/**
 * The publisher's Lua scripts as typed commands: defined on the connection by the store that
 * runs them, so a node that never publishes neither loads nor registers them.
 */
export interface PublisherScripts {
  rccPublish(...keysAndArgs: ScriptArg[]): Promise<[string, number, (string | null)?]>;
  rccDelete(...keysAndArgs: ScriptArg[]): Promise<number>;
  rccImport(numberOfKeys: number, ...keysAndArgs: ScriptArg[]): Promise<[string, string?, number?]>;
  rccRolloutBegin(...keysAndArgs: ScriptArg[]): Promise<[string, (string | number)?]>;
  rccRolloutAdvance(...keysAndArgs: ScriptArg[]): Promise<number>;
  rccRolloutRevert(...keysAndArgs: ScriptArg[]): Promise<[number, number?]>;
  rccRolloutDriver(...keysAndArgs: ScriptArg[]): Promise<number>;
}

const PUBLISHER_SCRIPTS: Record<keyof PublisherScripts, ScriptDefinition> = {
  rccPublish: { lua: PUBLISH_LUA, numberOfKeys: WRITE_KEY_COUNT + 1 },
  rccDelete: { lua: DELETE_LUA, numberOfKeys: WRITE_KEY_COUNT + 3 },
  rccImport: { lua: IMPORT_LUA },
  rccRolloutBegin: { lua: ROLLOUT_BEGIN_LUA, numberOfKeys: 3 },
  rccRolloutAdvance: { lua: ROLLOUT_ADVANCE_LUA, numberOfKeys: 2 },
  rccRolloutRevert: { lua: ROLLOUT_REVERT_LUA, numberOfKeys: WRITE_KEY_COUNT + 3 },
  rccRolloutDriver: { lua: ROLLOUT_DRIVER_LUA, numberOfKeys: 1 },
};

/** The client with the publisher's scripts defined. */
export function withPublisherScripts(client: RedisClient): RedisClient & PublisherScripts {
  return defineScripts<PublisherScripts>(client, PUBLISHER_SCRIPTS);
}
