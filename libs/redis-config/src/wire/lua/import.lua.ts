import { CURRENT_VERSION_LUA } from './current-version.lua';
import { RECORD_WRITE_LUA, WRITE_KEY_COUNT } from './record-write.lua';

/**
 * Applies an import plan all-or-nothing: every group must still be at the version the plan was
 * made against, or nothing is written. Each entry is RECORD_WRITE_LUA's write.
 *
 * KEYS: 1–7 the write keys (RECORD_WRITE_LUA), 8.. history list of each entry
 * ARGV: 1 history entries kept, 2 group channel prefix, 3 control channel, 4 largest record
 *       (bytes) carried in an event (0 = never; see CHANGE_EVENT_LUA), then 5 per entry:
 *       name, expected current version (-1 = absent), new record JSON, new version, name as JSON
 * Returns { 'OK' } or { 'CONFLICT', name, currentVersion }.
 */
export const IMPORT_LUA = `${CURRENT_VERSION_LUA}${RECORD_WRITE_LUA}
local w = write_context(1, ARGV[1], ARGV[2], ARGV[3], ARGV[4])
local count = #KEYS - ${WRITE_KEY_COUNT}
for i = 1, count do
  local base = 4 + (i - 1) * 5
  local version = current_version(redis.call('HGET', w.groups, ARGV[base + 1]))
  if version ~= tonumber(ARGV[base + 2]) then
    return { 'CONFLICT', ARGV[base + 1], version }
  end
end
for i = 1, count do
  local base = 4 + (i - 1) * 5
  local created = redis.call('HEXISTS', w.groups, ARGV[base + 1]) == 0
  write_record(w, ARGV[base + 1], ARGV[base + 5], KEYS[${WRITE_KEY_COUNT} + i], ARGV[base + 3],
    tonumber(ARGV[base + 4]), 'published', created)
end
return { 'OK' }
`;
