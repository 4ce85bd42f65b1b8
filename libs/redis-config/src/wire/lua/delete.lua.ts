import { EVENT_CHANNELS_LUA } from './event-channels.lua';
import { GROUP_INDEX_LUA } from './group-index.lua';

/**
 * Deletes a group, its history, its entries of the placement index, and tells the nodes that hold
 * or share it (its channel).
 *
 * KEYS: 1 groups hash, 2 history list of the group, 3 namespace revision counter
 * ARGV: 1 group name, 2 events channel, 3 group name as a JSON string
 * Returns 1 when the group existed, 0 otherwise.
 */
export const DELETE_LUA = `${EVENT_CHANNELS_LUA}${GROUP_INDEX_LUA}
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
redis.call('INCR', KEYS[3])
index_group(ARGV[2], ARGV[1])
emit_group_event(ARGV[2], ARGV[1], '{"type":"deleted","group":' .. ARGV[3] .. '}')
return 1
`;
