import { CURRENT_VERSION_LUA } from './current-version.lua';

/**
 * Starts a rollout of a group: at most one running per group, and only from the version the
 * caller read (so a write in between is a conflict, not a lost update). The groups hash is not
 * touched: nothing changes anywhere until a node runs the candidate.
 *
 * KEYS: 1 rollout hash of the group, 2 running set, 3 groups hash
 * ARGV: 1 group, 2 base version, 3 state JSON, 4 candidate JSON, 5 rollouts channel, 6 message
 * Returns { 'OK' }, { 'RUNNING', id } or { 'CONFLICT', stored version }.
 */
export const ROLLOUT_BEGIN_LUA = `${CURRENT_VERSION_LUA}
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
  local ok, state = pcall(cjson.decode, redis.call('HGET', KEYS[1], 'state') or '')
  return { 'RUNNING', (ok and type(state) == 'table' and state.id) or '' }
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
