import { CHANGE_EVENT_LUA } from './change-event.lua';
import { CURRENT_VERSION_LUA } from './current-version.lua';
import { EVENT_CHANNELS_LUA } from './event-channels.lua';
import { GROUP_INDEX_LUA } from './group-index.lua';

/**
 * Applies an import plan all-or-nothing: every group must still be at the version the plan was
 * made against, or nothing is written. New groups get their entry in the placement index.
 *
 * KEYS: 1 groups hash, 2 namespace revision counter, 3.. history list of each entry
 * ARGV: 1 history entries kept, 2 events channel, 3 largest record (bytes) carried in an event
 *       (0 = never; see CHANGE_EVENT_LUA), then 5 per entry:
 *       name, expected current version (-1 = absent), new record JSON, new version, name as JSON
 * Returns { 'OK' } or { 'CONFLICT', name, currentVersion }.
 */
export const IMPORT_LUA = `${CURRENT_VERSION_LUA}${CHANGE_EVENT_LUA}${EVENT_CHANNELS_LUA}${GROUP_INDEX_LUA}
local count = #KEYS - 2
for i = 1, count do
  local base = 3 + (i - 1) * 5
  local current = redis.call('HGET', KEYS[1], ARGV[base + 1])
  local version = current_version(current)
  if version ~= tonumber(ARGV[base + 2]) then
    return { 'CONFLICT', ARGV[base + 1], version }
  end
end
local created = {}
for i = 1, count do
  local base = 3 + (i - 1) * 5
  created[i] = redis.call('HEXISTS', KEYS[1], ARGV[base + 1]) == 0
  redis.call('HSET', KEYS[1], ARGV[base + 1], ARGV[base + 3])
  redis.call('LPUSH', KEYS[2 + i], ARGV[base + 3])
  redis.call('LTRIM', KEYS[2 + i], 0, tonumber(ARGV[1]) - 1)
  emit_group_event(ARGV[2], ARGV[base + 1], change_event('published', ARGV[base + 5],
    tonumber(ARGV[base + 4]), ARGV[base + 3], tonumber(ARGV[3])))
  if created[i] then
    index_group(ARGV[2], ARGV[base + 1])
    emit_created(ARGV[2], ARGV[base + 5])
  end
end
if count > 0 then redis.call('INCR', KEYS[2]) end
return { 'OK' }
`;
