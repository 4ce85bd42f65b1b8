/**
 * A node's periodic check, O(1) in reply size whatever the group size: the SHA-1 of the JSON of
 * the group it holds (compared with the digest of what it applied), and whether the group it asks
 * for exists. Catches writes made straight into the hash, with no notification.
 *
 * KEYS: 1 groups hash
 * ARGV: 1 held group ('' = none), 2 requested group, 3... the shared groups it follows (bounded)
 * Returns { digest or false, 1 or 0, number of groups, { digest or false per shared group } } —
 * the count tells a node that groups came or went without an event (a plain HSET/HDEL by the old
 * project, an event missed while reconnecting).
 */
export const NODE_TICK_LUA = `
local digest = false
if ARGV[1] ~= '' then
  local raw = redis.call('HGET', KEYS[1], ARGV[1])
  if raw then digest = redis.sha1hex(raw) end
end
local shared = {}
for i = 3, #ARGV do
  local raw = redis.call('HGET', KEYS[1], ARGV[i])
  if raw then shared[i - 2] = redis.sha1hex(raw) else shared[i - 2] = false end
end
return { digest, redis.call('HEXISTS', KEYS[1], ARGV[2]), redis.call('HLEN', KEYS[1]), shared }
`;
