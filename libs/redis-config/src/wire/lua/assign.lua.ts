import { LEASE_COMMON_LUA } from './lease-common.lua';
import { POOL_MATCH_LUA } from './pool-match.lua';

/**
 * Decides a node's place, atomically: the twin of `decidePlacement` (placement.ts), which
 * documents the rule. Also renews the node's lease and info (a decision is a heartbeat too).
 * O(log groups): the least and most loaded groups come from the placement index (GROUP_INDEX_LUA),
 * every candidate is checked against the counts and the hash before it is taken, and ties are
 * broken by a rank lookup, not a scan. Groups outside the node's pool that are less loaded than
 * its pool's are walked past (few in practice: pinned or shared groups).
 *
 * KEYS: see lease-common.lua.ts
 * ARGV: 1–4 see lease-common.lua.ts, 5 node info JSON, 6 mode ('place' | 'rebalance'),
 *       7 requested group, 8 capacity (0 = unlimited), 9.. the node's pool (see POOL_MATCH_LUA)
 * Returns { group or false, pinned 1/0, full 1/0, outcome ('kept' | 'placed' | 'moved' | 'none'),
 *           the group's stored record (read in the same step: the node needs no HGET after),
 *           the number of groups, 1/0 whether the requested group exists }.
 */
export const ASSIGN_LUA = `${LEASE_COMMON_LUA}${POOL_MATCH_LUA}
local node_id, requested, capacity = ARGV[1], ARGV[7], tonumber(ARGV[8])
local in_pool = read_pool(9)
local now = now_ms()
purge_expired(now)
renew(now, ARGV[5])
ensure_index()

local entry = redis.call('HGET', KEYS[4], node_id)
local own = parse_holder(entry)
local gave_up = false
local stale = false

local function has_room(load) return capacity == 0 or load < capacity end
local function exists(group) return redis.call('HEXISTS', KEYS[1], group) == 1 end
local function load_of(group)
  local counts = redis.call('HMGET', KEYS[5], 'p:' .. group, 'a:' .. group)
  return (tonumber(counts[1]) or 0) + (tonumber(counts[2]) or 0)
end

-- A group the index offers, checked against the hash and the counts (O(1)) before it is used: a
-- difference means groups or places changed behind the scripts' back (a plain HDEL and HSET):
-- the decision stops, the index is rebuilt and the decision runs once more.
local function checked(group, indexed)
  if exists(group) and load_of(group) == indexed then return true end
  stale = true
  return false
end

-- Members of the sorted set key from rank first to rank last (inclusive), 16 at a time, until
-- visit returns something other than nil.
local function each_ranked(key, first, last, reverse, visit)
  local at = first
  while at <= last do
    local stop = math.min(last, at + 15)
    local items = redis.call(reverse and 'ZREVRANGE' or 'ZRANGE', key, at, stop, 'WITHSCORES')
    if #items == 0 then return nil end
    for i = 1, #items, 2 do
      local found = visit(items[i], tonumber(items[i + 1]))
      if found ~= nil then return found end
    end
    at = stop + 1
  end
  return nil
end

-- The twin of tieBreakOffset (tie-break.ts): the first 32 bits of SHA-1(node id), modulo size.
local function tie_offset(size)
  return tonumber(string.sub(redis.sha1hex(node_id), 1, 8), 16) % size
end

-- The least loaded pool group with room, except one: the lowest load of a pool group (up the
-- index), then, among all groups at that load in name order (the set's order for equal scores),
-- the first pool group from the node's own offset on, wrapping. Returns group and load, or nil
-- and whether a pool group exists at all.
local function least_loaded(except)
  local function eligible(group) return group ~= except and in_pool(group) end
  local least = each_ranked(group_loads, 0, redis.call('ZCARD', group_loads) - 1, false,
    function(group, load)
      if not eligible(group) then return nil end
      return checked(group, load) and load or false
    end)
  if not least then return nil, false end
  if not has_room(least) then return nil, true end
  local below = redis.call('ZCOUNT', group_loads, '-inf', '(' .. least)
  local size = redis.call('ZCOUNT', group_loads, least, least)
  local offset = tie_offset(size)
  local function pick(group) if eligible(group) then return group end end
  local best = each_ranked(group_loads, below + offset, below + size - 1, false, pick)
    or each_ranked(group_loads, below, below + offset - 1, false, pick)
  if not best or not checked(best, least) then return nil, true end
  return best, least
end

-- The highest load of a pool group holding a movable node (0 when none).
local function most_loaded_movable()
  local most = each_ranked(movable_loads, 0, redis.call('ZCARD', movable_loads) - 1, true,
    function(group, load)
      if not in_pool(group) then return nil end
      return checked(group, load) and load or false
    end)
  return most or 0
end

-- A pinned node that arrives never moves, but may leave its group two above the least loaded
-- group: that group's holders hear rebalance (one movable node moves, decided on live data), as
-- for a freed place. O(log groups), a constant-size message, and only when a group went over.
local function ask_balance(group)
  local load = tonumber(redis.call('ZSCORE', movable_loads, group))
  if not load then return end
  local least = redis.call('ZRANGE', group_loads, 0, 0, 'WITHSCORES')
  if least[2] and load - tonumber(least[2]) >= 2 then
    publish_event(protocol, group_channels .. group, group_message('rebalance', group))
  end
end

local function hold(group, pinned, outcome)
  set_holder(node_id, entry, (pinned and 'p:' or 'a:') .. group)
  if own and own ~= group then announce_release(own) end
  if pinned and outcome ~= 'kept' then ask_balance(group) end
  return { group, pinned and 1 or 0, 0, outcome, redis.call('HGET', KEYS[1], group),
    redis.call('HLEN', KEYS[1]), redis.call('HEXISTS', KEYS[1], requested) }
end

local function decide()
  if exists(requested) then
    if own == requested then return hold(requested, true, 'kept') end
    if has_room(load_of(requested)) then return hold(requested, true, 'placed') end
  end
  if not gave_up and own and exists(own) and in_pool(own) and (capacity == 0 or load_of(own) <= capacity) then
    if ARGV[6] == 'rebalance' then
      local own_load, most = load_of(own), most_loaded_movable()
      if stale then return nil end
      if own_load >= most then
        local target, target_load = least_loaded(own)
        if stale then return nil end
        if target and own_load - target_load >= 2 then return hold(target, false, 'moved') end
      end
    end
    return hold(own, false, 'kept')
  end
  -- Its place is given up before it chooses: its own node no longer counts in its old group.
  if not gave_up then
    del_holder(node_id, entry)
    entry, gave_up = nil, true
  end
  local best, any = least_loaded(nil)
  if stale then return nil end
  if best then return hold(best, false, 'placed') end
  if own then announce_release(own) end
  local full = (any or exists(requested)) and 1 or 0
  return { false, 0, full, 'none', false, redis.call('HLEN', KEYS[1]),
    redis.call('HEXISTS', KEYS[1], requested) }
end

local decision = decide()
if decision then return decision end
rebuild_index()
stale = false
decision = decide()
if decision then return decision end
return redis.error_reply('ERR rcc placement index disagrees with the counts right after a rebuild')
`;
