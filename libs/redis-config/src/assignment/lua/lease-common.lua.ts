/**
 * Lua shared by the assignment scripts. Every one of them uses the same keys:
 *
 * KEYS: 1 groups hash, 2 `{ns}:nodes` (sorted set: node id → lease expiry, ms),
 *       3 `{ns}:node-info` (hash: node id → JSON reported by the node), 4 `{ns}:holders`
 *       (hash: node id → `p:<group>` pinned / `a:<group>` placed by the pool)
 * ARGV: 1 node id, 2 lease ms, 3 events channel, then what each script needs.
 *
 * Time is Redis's own clock (TIME), so the leases of nodes whose clocks disagree stay comparable.
 * Every script first purges the leases that expired: a silent node loses its place lazily, at the
 * next script any node runs (each live node runs one per heartbeat), with no sweeper process.
 */
export const LEASE_COMMON_LUA = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function ms(value)
  return string.format('%d', value)
end

-- The group of a holders entry, and whether it is pinned; nil for a value that is not ours.
local function parse_holder(entry)
  if not entry or #entry < 3 or string.sub(entry, 2, 2) ~= ':' then return nil, false end
  local flag = string.sub(entry, 1, 1)
  if flag ~= 'p' and flag ~= 'a' then return nil, false end
  return string.sub(entry, 3), flag == 'p'
end

-- Nodes per group, and the groups holding at least one movable (pool-placed) node.
local function group_loads()
  local flat = redis.call('HGETALL', KEYS[4])
  local loads, movable = {}, {}
  for i = 1, #flat, 2 do
    local group, pinned = parse_holder(flat[i + 1])
    if group then
      loads[group] = (loads[group] or 0) + 1
      if not pinned then movable[group] = true end
    end
  end
  return loads, movable
end

-- A place in an existing group was freed: nodes waiting for one, or balancing, are told at once.
local function announce_release(group)
  if redis.call('HEXISTS', KEYS[1], group) == 0 then return end
  local loads = group_loads()
  redis.call('PUBLISH', ARGV[3], cjson.encode({ type = 'released', group = group, loads = loads }))
end

local function purge_expired(now)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ms(now))
  if #expired == 0 then return end
  local freed, order = {}, {}
  for _, id in ipairs(expired) do
    local group = parse_holder(redis.call('HGET', KEYS[4], id))
    redis.call('ZREM', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('HDEL', KEYS[4], id)
    if group and not freed[group] then
      freed[group] = true
      order[#order + 1] = group
    end
  end
  for _, group in ipairs(order) do announce_release(group) end
end

-- Extends the caller's lease and stores what it reports, stamped with Redis time.
local function renew(now, info_json)
  redis.call('ZADD', KEYS[2], ms(now + tonumber(ARGV[2])), ARGV[1])
  local info = cjson.decode(info_json)
  info.heartbeatAtMs = now
  redis.call('HSET', KEYS[3], ARGV[1], cjson.encode(info))
end
`;
