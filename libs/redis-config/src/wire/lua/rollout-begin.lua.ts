import { CURRENT_VERSION_LUA } from './current-version.lua';

/**
 * Starts a rollout of a group: at most one running (or promoted, not yet written) per group, and only from the version the
 * caller read (so a write in between is a conflict, not a lost update). The groups hash is not
 * touched: nothing changes anywhere until a node runs the candidate.
 *
 * KEYS: 1 rollout hash of the group, 2 running set, 3 groups hash
 * ARGV: 1 group, 2 base version, 3 state JSON, 4 candidate JSON, 5 rollouts channel, 6 message
 * Returns { 'OK' }, { 'RUNNING', id } or { 'CONFLICT', stored version }.
 */
export const ROLLOUT_BEGIN_LUA = `${CURRENT_VERSION_LUA}
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
  -- Only a rollout of ours that has not ended blocks: unreadable data written by others does not.
  local ok, state = pcall(cjson.decode, redis.call('HGET', KEYS[1], 'state') or '')
  if ok and type(state) == 'table' and type(state.id) == 'string' and (state.status == 'verifying'
      or state.status == 'canary' or (state.status == 'promoted' and state.published ~= true)) then
    return { 'RUNNING', state.id }
  end
end
local version = current_version(redis.call('HGET', KEYS[3], ARGV[1]))
if version ~= tonumber(ARGV[2]) then return { 'CONFLICT', version } end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'candidate', ARGV[4], 'canaries', '[]',
  'problems', '[]')
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return { 'OK' }
`;
