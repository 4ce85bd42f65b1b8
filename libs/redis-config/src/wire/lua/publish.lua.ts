import { CURRENT_VERSION_LUA } from './current-version.lua';
import { RECORD_WRITE_LUA } from './record-write.lua';

/**
 * One atomic write of a group: version check, new version, then RECORD_WRITE_LUA's sequence
 * (hash, digest, history, revision, the group's event; a new group's index entry and `created`).
 *
 * KEYS: 1–7 the write keys (RECORD_WRITE_LUA), 8 history list of the group
 * ARGV: 1 group name, 2 record JSON before the version, 3 record JSON after the version,
 *       4 expected version ('' = any, '-1' = must be absent), 5 history entries kept,
 *       6 group channel prefix, 7 control channel, 8 event type, 9 group name as a JSON string,
 *       10 largest record (bytes) carried in the event (0 = never; see CHANGE_EVENT_LUA)
 * Returns { 'OK', newVersion, the record it replaced or false } or { 'CONFLICT', currentVersion }:
 * the replaced record lets the writer tell what changed (the audit) without reading the history.
 */
export const PUBLISH_LUA = `${CURRENT_VERSION_LUA}${RECORD_WRITE_LUA}
local w = write_context(1, ARGV[5], ARGV[6], ARGV[7], ARGV[10])
local history = KEYS[8]
local current = redis.call('HGET', w.groups, ARGV[1])
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
  local head = redis.call('LINDEX', history, 0)
  local ok, decoded = false, nil
  if head then ok, decoded = pcall(cjson.decode, head) end
  if not (ok and type(decoded) == 'table' and decoded.group_version == version) then
    redis.call('LPUSH', history, current)
  end
end
local new_version = next_version(version)
write_record(w, ARGV[1], ARGV[9], history, ARGV[2] .. string.format('%d', new_version) .. ARGV[3],
  new_version, ARGV[8], not current)
return { 'OK', new_version, current or false }
`;
