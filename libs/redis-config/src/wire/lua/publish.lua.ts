import { CHANGE_EVENT_LUA } from './change-event.lua';
import { CURRENT_VERSION_LUA } from './current-version.lua';
import { EVENT_CHANNELS_LUA } from './event-channels.lua';
import { GROUP_INDEX_LUA } from './group-index.lua';

/**
 * One atomic write of a group: version check, new version, history, revision, notification (on
 * the group's channel, `created` on the control channel for a new group; see EVENT_CHANNELS_LUA),
 * and a new group's entry in the placement index (GROUP_INDEX_LUA).
 *
 * KEYS: 1 groups hash, 2 history list of the group, 3 namespace revision counter
 * ARGV: 1 group name, 2 record JSON before the version, 3 record JSON after the version,
 *       4 expected version ('' = any, '-1' = must be absent), 5 history entries kept,
 *       6 events channel, 7 event type, 8 group name as a JSON string,
 *       9 largest record (bytes) carried in the event (0 = never; see CHANGE_EVENT_LUA)
 * Returns { 'OK', newVersion } or { 'CONFLICT', currentVersion }.
 */
export const PUBLISH_LUA = `${CURRENT_VERSION_LUA}${CHANGE_EVENT_LUA}${EVENT_CHANNELS_LUA}${GROUP_INDEX_LUA}
local current = redis.call('HGET', KEYS[1], ARGV[1])
local version = current_version(current)
if ARGV[4] ~= '' then
  local expected = tonumber(ARGV[4])
  if (expected == -1 and current) or (expected ~= -1 and expected ~= version) then
    return { 'CONFLICT', version }
  end
end
-- A version written straight into the hash by someone else (the old project's nodes) is kept
-- in the history before it is replaced.
if version >= 0 then
  local head = redis.call('LINDEX', KEYS[2], 0)
  local ok, decoded = false, nil
  if head then ok, decoded = pcall(cjson.decode, head) end
  if not (ok and type(decoded) == 'table' and decoded.group_version == version) then
    redis.call('LPUSH', KEYS[2], current)
  end
end
local new_version = next_version(version)
local record = ARGV[2] .. string.format('%d', new_version) .. ARGV[3]
redis.call('HSET', KEYS[1], ARGV[1], record)
redis.call('LPUSH', KEYS[2], record)
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
redis.call('INCR', KEYS[3])
emit_group_event(ARGV[6], ARGV[1],
  change_event(ARGV[7], ARGV[8], new_version, record, tonumber(ARGV[9])))
if not current then
  index_group(ARGV[6], ARGV[1])
  emit_created(ARGV[6], ARGV[8])
end
return { 'OK', new_version }
`;
