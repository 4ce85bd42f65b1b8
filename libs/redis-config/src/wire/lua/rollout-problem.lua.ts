import { NOW_MS_LUA } from './redis-time.lua';

/**
 * A node's problem with a running rollout's candidate, kept with the rollout (node, message,
 * Redis time; at most 100) and announced on the rollouts channel. Ignored when the rollout is no
 * longer the group's running one.
 *
 * KEYS: 1 rollout hash of the group
 * ARGV: 1 rollout id, 2 node id, 3 message, 4 rollouts channel, 5 group
 * Returns 1 when recorded, 0 when ignored.
 */
export const ROLLOUT_PROBLEM_LUA = `${NOW_MS_LUA}
local ok, state = pcall(cjson.decode, redis.call('HGET', KEYS[1], 'state') or '')
if not (ok and type(state) == 'table') or state.id ~= ARGV[1] then return 0 end
if state.status ~= 'canary' and state.status ~= 'verifying' then return 0 end
local okp, problems = pcall(cjson.decode, redis.call('HGET', KEYS[1], 'problems') or '[]')
if not (okp and type(problems) == 'table') then problems = {} end
if #problems >= 100 then return 0 end
problems[#problems + 1] = { nodeId = ARGV[2], reason = ARGV[3], atMs = now_ms() }
redis.call('HSET', KEYS[1], 'problems', cjson.encode(problems))
redis.call('PUBLISH', ARGV[4], cjson.encode({ type = 'problem', group = ARGV[5], id = ARGV[1],
  status = state.status, step = state.step }))
return 1
`;
