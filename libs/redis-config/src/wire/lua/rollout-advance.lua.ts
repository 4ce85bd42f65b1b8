/**
 * One transition of a rollout's state machine, only from the status and step the caller saw:
 * of two admins (or two requests) that try the same move, exactly one succeeds.
 *
 * KEYS: 1 rollout hash of the group, 2 running set
 * ARGV: 1 rollout id, 2 expected status, 3 expected step, 4 new state JSON,
 *       5 canaries JSON ('' = unchanged), 6 '1' = refuse when a problem is recorded,
 *       7 '1' = the rollout ends (leaves the running set), 8 group, 9 rollouts channel, 10 message
 * Returns 1 when moved, 0 when the rollout is not where the caller saw it, -1 for a problem.
 */
export const ROLLOUT_ADVANCE_LUA = `
local ok, state = pcall(cjson.decode, redis.call('HGET', KEYS[1], 'state') or '')
if not (ok and type(state) == 'table') then return 0 end
if state.id ~= ARGV[1] or state.status ~= ARGV[2] or state.step ~= tonumber(ARGV[3]) then
  return 0
end
if ARGV[6] == '1' then
  local okp, problems = pcall(cjson.decode, redis.call('HGET', KEYS[1], 'problems') or '[]')
  if okp and type(problems) == 'table' and next(problems) ~= nil then return -1 end
end
redis.call('HSET', KEYS[1], 'state', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'canaries', ARGV[5]) end
if ARGV[7] == '1' then redis.call('SREM', KEYS[2], ARGV[8]) end
redis.call('PUBLISH', ARGV[9], ARGV[10])
return 1
`;
