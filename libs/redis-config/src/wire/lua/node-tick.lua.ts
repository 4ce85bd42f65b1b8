import { GROUP_DIGEST_LUA } from './group-digest.lua';
import { NOW_MS_LUA } from './redis-time.lua';

/**
 * A node's periodic check, O(1) whatever the group size (DESIGN §16): the digest of the group it
 * holds (compared with the digest of what it applied), whether the group it asks for exists, how
 * many groups exist, the digests of its shared groups, and the rollout of the group it holds. The
 * digests are those stored at write time (GROUP_DIGEST_LUA), checked against the record at most
 * once per `verify_ms` per group: writes made straight into the hash, with no notification, are
 * caught within about one refresh. Also catches rollout moves whose message was not heard. Run
 * with every heartbeat due for it (`HEARTBEAT_LUA`), or alone by a node that keeps no lease
 * (`NODE_TICK_LUA`). Needs NOW_MS_LUA.
 *
 * `node_check(first_key, first_arg, now)`: KEYS[1] is the groups hash, KEYS[first_key]
 * `{ns}:digests`, then the held group's rollout hash, then one per shared group; ARGV[1] is the
 * node id, ARGV[first_arg] how old (ms) a stored digest may be before it is checked again, then
 * the held group ('' = none), the requested group, the shared groups (bounded) — the order of
 * `nodeCheckKeys` / `nodeCheckArgs` (node-check.ts).
 * Returns { digest or false, 1 or 0 (requested exists), number of groups,
 *           { digest or false per shared group }, held group's rollout state or false,
 *           1 when that rollout is at canary and lists the node, 0 otherwise,
 *           { rollout state while it verifies, or false, per shared group } } —
 * the count tells a node that groups came or went without an event (a plain HSET/HDEL by the old
 * project, an event missed while reconnecting). The rollout states are small (DESIGN §13); the
 * canaries list is not returned, only whether it names the node (read only during a canary).
 */
export const NODE_CHECK_LUA = `${GROUP_DIGEST_LUA}
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

local function node_check(first_key, first_arg, now)
  local digests, held_rollout = KEYS[first_key], first_key + 1
  local verify_ms = tonumber(ARGV[first_arg])
  local held = ARGV[first_arg + 1]
  local digest, rollout, chosen = false, false, 0
  if held ~= '' then
    digest = checked_digest(KEYS[1], digests, held, now, verify_ms)
    local fields = redis.call('HMGET', KEYS[held_rollout], 'state', 'canaries')
    rollout = fields[1]
    if rollout and fields[2] and string.find(rollout, '"status"%s*:%s*"canary"') then
      chosen = lists_node(fields[2], ARGV[1])
    end
  end
  local shared, verifying = {}, {}
  for i = first_arg + 3, #ARGV do
    local n = i - first_arg - 2
    shared[n] = checked_digest(KEYS[1], digests, ARGV[i], now, verify_ms)
    local state = redis.call('HGET', KEYS[held_rollout + n], 'state')
    if state and string.find(state, '"status"%s*:%s*"verifying"') then
      verifying[n] = state
    else
      verifying[n] = false
    end
  end
  local requested = ARGV[first_arg + 2]
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
 * KEYS: 1 groups hash, 2 `{ns}:digests`, 3 held group's rollout hash, 4... each shared group's
 * ARGV: 1 node id, 2 digest age checked again (ms), 3 held group ('' = none), 4 requested group,
 *       5... the shared groups
 * Returns node_check's reply.
 */
export const NODE_TICK_LUA = `${NOW_MS_LUA}${NODE_CHECK_LUA}
return node_check(2, 2, now_ms())
`;
