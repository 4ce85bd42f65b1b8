import { EVENT_CHANNELS_LUA } from './event-channels.lua';
import { RENEW_LUA } from './renew.lua';

/**
 * Lua shared by the assignment scripts. Every one of them uses the same keys:
 *
 * KEYS: 1 groups hash, 2 `{ns}:nodes` (sorted set: node id → lease expiry, ms),
 *       3 `{ns}:node-info` (hash: node id → JSON reported by the node), 4 `{ns}:holders`
 *       (hash: node id → `p:<group>` pinned / `a:<group>` placed by the pool),
 *       5 `{ns}:holder-counts` (hash: `p:<group>` / `a:<group>` → how many holders have it)
 * ARGV: 1 node id, 2 lease ms, 3 events channel, then what each script needs.
 *
 * Nodes of protocol 2 also keep `{ns}:nodes:v2` (same scores): publishers feed the legacy channel
 * only while `{ns}:nodes` has live nodes that it lacks (see EVENT_CHANNELS_LUA).
 *
 * Time is Redis's own clock (TIME), so the leases of nodes whose clocks disagree stay comparable.
 * Every script first purges the leases that expired: a silent node loses its place lazily, at the
 * next script any node runs (each live node runs one per heartbeat), with no sweeper process.
 *
 * The counts make a decision O(groups) instead of O(nodes) (a scan of 1,000 holders costs Redis
 * about 1.7 ms a call, against 0.2 ms now; see docs/BENCHMARKS.md). Every change of a place goes through set_holder /
 * del_holder, which keep them exact; ensure_counts rebuilds them if the key was tampered with.
 */
export const LEASE_COMMON_LUA = `${EVENT_CHANNELS_LUA}
local protocol_nodes = rcc_tag(ARGV[3]) .. ':nodes:v2'

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function ms(value)
  return string.format('%d', value)
end

-- The group of a holders entry, and whether it is pinned; nil for a value that is not ours.
-- (Bytes, not substrings: it runs once per group in every decision. 58 ':', 112 'p', 97 'a'.)
local function parse_holder(entry)
  if not entry or #entry < 3 or string.byte(entry, 2) ~= 58 then return nil, false end
  local flag = string.byte(entry, 1)
  if flag ~= 112 and flag ~= 97 then return nil, false end
  return string.sub(entry, 3), flag == 112
end

local function count_holder(entry, delta)
  if not parse_holder(entry) then return end
  if redis.call('HINCRBY', KEYS[5], entry, delta) <= 0 then redis.call('HDEL', KEYS[5], entry) end
end

local function set_holder(id, old_entry, new_entry)
  if old_entry == new_entry then return end
  if old_entry then count_holder(old_entry, -1) end
  redis.call('HSET', KEYS[4], id, new_entry)
  count_holder(new_entry, 1)
end

local function del_holder(id, old_entry)
  if not old_entry then return end
  redis.call('HDEL', KEYS[4], id)
  count_holder(old_entry, -1)
end

-- Nodes per group, and which groups hold a movable node, from the counts (one HGETALL of at
-- most two fields per group); also the total, to check the counts against the holders.
local function read_counts()
  local flat = redis.call('HGETALL', KEYS[5])
  local loads, movable, total = {}, {}, 0
  for i = 1, #flat, 2 do
    local group, pinned = parse_holder(flat[i])
    local count = tonumber(flat[i + 1]) or 0
    total = total + count
    if group then
      loads[group] = (loads[group] or 0) + count
      if not pinned and count > 0 then movable[group] = true end
    end
  end
  return loads, movable, total
end

-- The counts, rebuilt from the holders first when they disagree (the usual check is O(groups):
-- HLEN against their sum). Holders values that are not ours are dropped.
local function ensure_counts()
  local loads, movable, total = read_counts()
  if total == redis.call('HLEN', KEYS[4]) then return loads, movable end
  redis.call('DEL', KEYS[5])
  local flat = redis.call('HGETALL', KEYS[4])
  for i = 1, #flat, 2 do
    if parse_holder(flat[i + 1]) then
      redis.call('HINCRBY', KEYS[5], flat[i + 1], 1)
    else
      redis.call('HDEL', KEYS[4], flat[i])
    end
  end
  loads, movable = read_counts()
  return loads, movable
end

-- The movable group with the most nodes (ties: the first name), other than except.
local function fullest_movable(loads, movable, except)
  local best, most = nil, -1
  for group, load in pairs(loads) do
    if movable[group] and group ~= except and (load > most or (load == most and group < best)) then
      best, most = group, load
    end
  end
  return best, most
end

-- Places were freed in these groups (one entry per place): constant-size messages only.
-- Nodes waiting for a place hear released on {ns}:places; when a freed place leaves its group
-- two below the fullest movable group, that group's holders hear rebalance on its channel
-- (one of them moves; the assign script decides on live data). O(groups) per freed place.
local function announce_releases(freed)
  local live = {}
  for _, group in ipairs(freed) do
    if redis.call('HEXISTS', KEYS[1], group) == 1 then live[#live + 1] = group end
  end
  if #live == 0 then return end
  local loads, movable = read_counts()
  local legacy = legacy_nodes_live(ARGV[3])
  for _, group in ipairs(live) do
    local name_json = cjson.encode(group)
    publish_v2(ARGV[3], rcc_tag(ARGV[3]) .. ':places',
      '{"v":2,"type":"released","group":' .. name_json .. '}')
    if legacy then
      redis.call('PUBLISH', ARGV[3], cjson.encode({ type = 'released', group = group, loads = loads }))
    end
    local fullest, most = fullest_movable(loads, movable, group)
    if fullest and most - (loads[group] or 0) >= 2 then
      publish_v2(ARGV[3], group_channel(ARGV[3], fullest),
        '{"v":2,"type":"rebalance","group":' .. cjson.encode(fullest) .. '}')
      -- The move it asks for, so that the next freed place is judged after it.
      loads[fullest] = most - 1
      loads[group] = (loads[group] or 0) + 1
    end
  end
end

local function announce_release(group) announce_releases({ group }) end

local function purge_expired(now)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ms(now))
  redis.call('ZREMRANGEBYSCORE', protocol_nodes, '-inf', '(' .. ms(now))
  if #expired == 0 then return end
  local freed = {}
  for _, id in ipairs(expired) do
    local entry = redis.call('HGET', KEYS[4], id)
    redis.call('ZREM', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
    del_holder(id, entry)
    local group = parse_holder(entry)
    if group then freed[#freed + 1] = group end
  end
  announce_releases(freed)
end

${RENEW_LUA}`;
