/**
 * A node's periodic check, O(1) in reply size whatever the group size: the SHA-1 of the JSON of
 * the group it holds (compared with the digest of what it applied), whether the group it asks for
 * exists, how many groups exist, the digests of its shared groups, and the rollout of the group
 * it holds. Catches writes made straight into the hash, with no notification, and rollout moves
 * whose message was not heard. Run with every heartbeat (`HEARTBEAT_LUA`), or alone by a node
 * that keeps no lease (`NODE_TICK_LUA`).
 *
 * `node_check(rollout_key, held_arg)`: KEYS[rollout_key] is the held group's rollout hash, then one
 * per shared group; ARGV[1] is the node id, ARGV[held_arg] the held group ('' = none), then the
 * requested group, then the shared groups (bounded).
 * Returns { digest or false, 1 or 0 (requested exists), number of groups,
 *           { digest or false per shared group }, held group's rollout state or false,
 *           1 when that rollout is at canary and lists the node, 0 otherwise,
 *           { rollout state while it verifies, or false, per shared group } } —
 * the count tells a node that groups came or went without an event (a plain HSET/HDEL by the old
 * project, an event missed while reconnecting). The rollout states are small (DESIGN §13); the
 * canaries list is not returned, only whether it names the node (read only during a canary).
 */
export const NODE_CHECK_LUA = `
-- Whether the JSON array of node ids names id. An id with nothing JSON escapes appears verbatim
-- when listed: the usual case needs no decoding.
local function lists_node(list_json, id)
  if not string.find(id, '[%c"\\\\]') and not string.find(list_json, id, 1, true) then return 0 end
  local ok, list = pcall(cjson.decode, list_json)
  if not ok or type(list) ~= 'table' then return 0 end
  for _, listed in ipairs(list) do
    if listed == id then return 1 end
  end
  return 0
end

local function node_check(rollout_key, held_arg)
  local held = ARGV[held_arg]
  local digest, rollout, chosen = false, false, 0
  if held ~= '' then
    local raw = redis.call('HGET', KEYS[1], held)
    if raw then digest = redis.sha1hex(raw) end
    local fields = redis.call('HMGET', KEYS[rollout_key], 'state', 'canaries')
    rollout = fields[1]
    if rollout and fields[2] and string.find(rollout, '"status"%s*:%s*"canary"') then
      chosen = lists_node(fields[2], ARGV[1])
    end
  end
  local shared, verifying = {}, {}
  for i = held_arg + 2, #ARGV do
    local n = i - held_arg - 1
    local raw = redis.call('HGET', KEYS[1], ARGV[i])
    if raw then shared[n] = redis.sha1hex(raw) else shared[n] = false end
    local state = redis.call('HGET', KEYS[rollout_key + n], 'state')
    if state and string.find(state, '"status"%s*:%s*"verifying"') then
      verifying[n] = state
    else
      verifying[n] = false
    end
  end
  local requested = ARGV[held_arg + 1]
  local exists
  if held ~= '' and requested == held then
    if digest then exists = 1 else exists = 0 end
  else
    exists = redis.call('HEXISTS', KEYS[1], requested)
  end
  return { digest, exists, redis.call('HLEN', KEYS[1]), shared, rollout, chosen, verifying }
end
`;

/**
 * The check alone, for a node that keeps no lease (before its first decision, or with an
 * assigner that runs no heartbeat). Called with the number of keys first.
 *
 * KEYS: 1 groups hash, 2 held group's rollout hash, 3... each shared group's rollout hash
 * ARGV: 1 node id, 2 held group ('' = none), 3 requested group, 4... the shared groups
 * Returns node_check's reply.
 */
export const NODE_TICK_LUA = `${NODE_CHECK_LUA}
return node_check(2, 2)
`;
