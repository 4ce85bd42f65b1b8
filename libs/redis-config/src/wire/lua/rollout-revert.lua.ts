import { CURRENT_VERSION_LUA } from './current-version.lua';
import { RECORD_WRITE_LUA } from './record-write.lua';

/**
 * Ends a running rollout without promoting it (rolled back, aborted, rejected), only from a
 * status the caller names. When canaries ran the candidate (its version `base + 1`), the stable
 * content is written again at `base + 2` in the same script: the candidate's number is burned
 * (never in the hash, so it never names a second content), and every node, ours and the old
 * project's, moves by the ordinary "newer version" rule.
 *
 * KEYS: 1 rollout hash, 2 running set, 3–9 the write keys (RECORD_WRITE_LUA), 10 history of the
 *       group
 * ARGV: 1 rollout id, 2 allowed statuses (comma-separated), 3 new state JSON, 4 group,
 *       5 rollouts channel, 6 message, 7 base version, 8 stable record before the version
 *       ('' = write nothing), 9 after the version, 10 history entries kept, 11 group channel prefix,
 *       12 group name as JSON, 13 largest record carried in the event,
 *       14 problems JSON ('' = unchanged: those the nodes recorded)
 * Returns { 1, version written or -1 } when ended, { 0 } when the rollout was not there.
 */
export const ROLLOUT_REVERT_LUA = `${CURRENT_VERSION_LUA}${RECORD_WRITE_LUA}
local ok, state = pcall(cjson.decode, redis.call('HGET', KEYS[1], 'state') or '')
if not (ok and type(state) == 'table') or state.id ~= ARGV[1] then return { 0 } end
local allowed = false
for status in string.gmatch(ARGV[2], '[^,]+') do
  if state.status == status then allowed = true end
end
if not allowed then return { 0 } end
local written = -1
local w = write_context(3, ARGV[10], ARGV[11], '', ARGV[13])
local current = redis.call('HGET', w.groups, ARGV[4])
local base = tonumber(ARGV[7])
if ARGV[8] ~= '' and current_version(current) == base then
  written = base + 2
  write_record(w, ARGV[4], ARGV[12], KEYS[10], ARGV[8] .. string.format('%d', written) .. ARGV[9],
    written, 'rollback', false)
end
local next_state = ARGV[3]
if written >= 0 then
  next_state = string.gsub(next_state, '"revertedVersion":null', '"revertedVersion":' ..
    string.format('%d', written), 1)
end
redis.call('HSET', KEYS[1], 'state', next_state)
if ARGV[14] ~= '' then redis.call('HSET', KEYS[1], 'problems', ARGV[14]) end
redis.call('SREM', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return { 1, written }
`;
