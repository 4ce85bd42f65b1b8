import { EVENT_CHANNELS_LUA } from './event-channels.lua';
import { GROUP_INDEX_LUA } from './group-index.lua';
import { NOW_MS_LUA } from './redis-time.lua';
import { RENEW_LUA } from './renew.lua';

/**
 * Lua shared by the assignment scripts. Every one of them uses the same keys:
 *
 * KEYS: 1 groups hash, 2 `{ns}:nodes` (sorted set: node id → lease expiry, ms),
 *       3 `{ns}:node-info` (hash: node id → JSON reported by the node), 4 `{ns}:holders`
 *       (hash: node id → `p:<group>` pinned / `a:<group>` placed by the pool),
 *       5 `{ns}:holder-counts` (hash: `p:<group>` / `a:<group>` → how many holders have it),
 *       6 `{ns}:group-loads`, 7 `{ns}:movable-loads` (the placement index, GROUP_INDEX_LUA),
 *       8 `{ns}:placement-index` (hash: `holders` = holders entries counted),
 *       9 `{ns}:protocol` (the namespace's pub/sub setting, EVENT_CHANNELS_LUA)
 * ARGV: 1 node id, 2 lease ms, 3 group channel prefix (`{ns}:events:`), 4 places channel
 *       (`{ns}:places`), then what each script needs.
 *
 * Time is Redis's own clock (TIME), so the leases of nodes whose clocks disagree stay comparable.
 * Every script first purges the leases that expired: a silent node loses its place lazily, at the
 * next script any node runs (each live node runs one per heartbeat), with no sweeper process.
 *
 * The counts make the index O(groups) to rebuild instead of O(nodes), and the index makes a
 * decision O(log groups) (docs/BENCHMARKS.md § Scale). Every change of a place goes through
 * set_holder / del_holder, which keep counts and index exact; ensure_index checks them in O(1)
 * and rebuilds them when someone changed groups or places behind the scripts' back.
 */
/** How many KEYS the assignment scripts take, in the order above (see assignmentKeys). */
export const LEASE_KEY_COUNT = 9;

export const LEASE_TOOLKIT_LUA = `${EVENT_CHANNELS_LUA}${GROUP_INDEX_LUA}
local group_loads, movable_loads, index_meta, protocol = KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local group_channels, places_channel = ARGV[3], ARGV[4]

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
  local group = parse_holder(entry)
  if not group then return end
  if redis.call('HINCRBY', KEYS[5], entry, delta) <= 0 then redis.call('HDEL', KEYS[5], entry) end
  index_sync(KEYS[1], KEYS[5], group_loads, movable_loads, group)
end

local function set_holder(id, old_entry, new_entry)
  if old_entry == new_entry then return end
  if old_entry then count_holder(old_entry, -1) end
  if redis.call('HSET', KEYS[4], id, new_entry) == 1 then
    redis.call('HINCRBY', index_meta, 'holders', 1)
  end
  count_holder(new_entry, 1)
end

local function del_holder(id, old_entry)
  if not old_entry then return end
  if redis.call('HDEL', KEYS[4], id) == 1 then redis.call('HINCRBY', index_meta, 'holders', -1) end
  count_holder(old_entry, -1)
end

-- Nodes per group, and which groups hold a movable node, from the counts (one HGETALL of at
-- most two fields per group); also the total, to check the counts against the holders. O(groups):
-- only to rebuild the index.
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

-- Counts and index from scratch. O(groups); O(nodes) too when the counts disagree with the
-- holders (the counts key was tampered with). Holders values that are not ours are dropped.
local function rebuild_index()
  local loads, movable, total = read_counts()
  if total ~= redis.call('HLEN', KEYS[4]) then
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
  end
  redis.call('DEL', group_loads, movable_loads)
  local names = redis.call('HKEYS', KEYS[1])
  for first = 1, #names, 200 do
    local all, some = {}, {}
    for i = first, math.min(#names, first + 199) do
      local load = loads[names[i]] or 0
      all[#all + 1] = load
      all[#all + 1] = names[i]
      if movable[names[i]] then
        some[#some + 1] = load
        some[#some + 1] = names[i]
      end
    end
    redis.call('ZADD', group_loads, unpack(all))
    if #some > 0 then redis.call('ZADD', movable_loads, unpack(some)) end
  end
  redis.call('HSET', index_meta, 'holders', redis.call('HLEN', KEYS[4]))
end

-- The index, checked in O(1): the holders it counted, and one entry per group.
local function ensure_index()
  if tonumber(redis.call('HGET', index_meta, 'holders')) ~= redis.call('HLEN', KEYS[4])
    or redis.call('ZCARD', group_loads) ~= redis.call('HLEN', KEYS[1]) then
    rebuild_index()
  end
end

-- Places were freed in these groups (one entry per place): constant-size messages only.
-- Nodes waiting for a place hear released on {ns}:places; when a freed place leaves its group
-- two below the fullest movable group, that group's holders hear rebalance on its channel
-- (one of them moves; the assign script decides on live data). O(log groups) per freed place.
local function announce_releases(freed)
  local live = {}
  for _, group in ipairs(freed) do
    if redis.call('HEXISTS', KEYS[1], group) == 1 then live[#live + 1] = group end
  end
  if #live == 0 then return end
  -- The moves asked so far, so that the next freed place is judged after them: each lowers its
  -- fullest group by one and raises the freed group by one (which stays below the fullest).
  local shift, lowered = {}, 0
  for _, group in ipairs(live) do
    publish_event(protocol, places_channel, group_message('released', group))
    -- Only lowered groups can have left the top: the fullest is among the top (lowered + 2).
    local top = redis.call('ZREVRANGE', movable_loads, 0, lowered + 1, 'WITHSCORES')
    local fullest, most = nil, -1
    for i = 1, #top, 2 do
      local load = tonumber(top[i + 1]) + (shift[top[i]] or 0)
      if top[i] ~= group and load > most then fullest, most = top[i], load end
    end
    local load = (tonumber(redis.call('ZSCORE', group_loads, group)) or 0) + (shift[group] or 0)
    if fullest and most - load >= 2 then
      publish_event(protocol, group_channels .. fullest, group_message('rebalance', fullest))
      if not shift[fullest] then lowered = lowered + 1 end
      shift[fullest] = (shift[fullest] or 0) - 1
      shift[group] = (shift[group] or 0) + 1
    end
  end
end

local function announce_release(group) announce_releases({ group }) end

local function purge_expired(now)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ms(now))
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
`;

/**
 * Everything above, with `now_ms` and `renew`: what the assign and release scripts start with.
 * The heartbeat defines those two itself and the toolkit only when it purges (most beats do not).
 */
export const LEASE_COMMON_LUA = `${NOW_MS_LUA}${RENEW_LUA}${LEASE_TOOLKIT_LUA}`;
