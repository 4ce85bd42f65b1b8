import { LEASE_COMMON_LUA } from './lease-common.lua';

/**
 * Decides a node's place, atomically: the twin of `decidePlacement` (placement.ts), which
 * documents the rule. Also renews the node's lease and info (a decision is a heartbeat too).
 *
 * KEYS: see lease-common.lua.ts
 * ARGV: 1 node id, 2 lease ms, 3 events channel, 4 node info JSON, 5 mode ('place' | 'rebalance'),
 *       6 requested group, 7 capacity (0 = unlimited), 8.. the groups of the node's pool
 * Returns { group or false, pinned 1/0, full 1/0, outcome ('kept' | 'placed' | 'moved' | 'none'),
 *           the group's stored record (read in the same step: the node needs no HGET after) }.
 */
export const ASSIGN_LUA = `${LEASE_COMMON_LUA}
local node_id, requested, capacity = ARGV[1], ARGV[6], tonumber(ARGV[7])
local now = now_ms()
purge_expired(now)
renew(now, ARGV[4])

local loads, movable = ensure_counts()

local entry = redis.call('HGET', KEYS[4], node_id)
local own = parse_holder(entry)
local function has_room(load) return capacity == 0 or load < capacity end
-- One HKEYS instead of a HEXISTS per pool group: names only, never the groups' JSON.
local existing = {}
for _, name in ipairs(redis.call('HKEYS', KEYS[1])) do existing[name] = true end
local function exists(group) return existing[group] == true end

local pool, in_pool = {}, {}
for i = 8, #ARGV do
  if not in_pool[ARGV[i]] and exists(ARGV[i]) then
    pool[#pool + 1] = ARGV[i]
    in_pool[ARGV[i]] = true
  end
end

local function load_of(group) return loads[group] or 0 end

-- Rendezvous score compared as numbers: byte by byte, as both are 40 lowercase hex digits (whose
-- byte order is their numeric order; Lua's string order would depend on the locale). Most pairs
-- differ in the first byte: no substring, no number parsing (half the cost of a placement once).
local function score_greater(a, b)
  for i = 1, 40 do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return false
end

-- Two passes: the least load first (numbers only), then the rendezvous score of the groups at it
-- (a SHA-1 each), instead of a SHA-1 of every group that was the least loaded so far.
local function least_loaded(except)
  local least = nil
  for _, group in ipairs(pool) do
    local load = load_of(group)
    if group ~= except and has_room(load) and (not least or load < least) then least = load end
  end
  if not least then return nil, nil end
  local best, best_score, suffix = nil, nil, string.char(0) .. node_id
  for _, group in ipairs(pool) do
    if group ~= except and load_of(group) == least then
      local score = redis.sha1hex(group .. suffix)
      if not best or score_greater(score, best_score) then best, best_score = group, score end
    end
  end
  return best, least
end

local function hold(group, pinned, outcome)
  set_holder(node_id, entry, (pinned and 'p:' or 'a:') .. group)
  if own and own ~= group then announce_release(own) end
  return { group, pinned and 1 or 0, 0, outcome, redis.call('HGET', KEYS[1], group) }
end

if exists(requested) then
  if own == requested then return hold(requested, true, 'kept') end
  if has_room(load_of(requested)) then return hold(requested, true, 'placed') end
end

if own and exists(own) and in_pool[own] and (capacity == 0 or load_of(own) <= capacity) then
  if ARGV[5] == 'rebalance' then
    local own_load, most = load_of(own), 0
    for _, group in ipairs(pool) do
      if movable[group] and load_of(group) > most then most = load_of(group) end
    end
    if own_load >= most then
      local target, target_load = least_loaded(own)
      if target and own_load - target_load >= 2 then return hold(target, false, 'moved') end
    end
  end
  return hold(own, false, 'kept')
end

if own then loads[own] = load_of(own) - 1 end
local best = least_loaded(nil)
if best then return hold(best, false, 'placed') end

del_holder(node_id, entry)
if own then announce_release(own) end
local full = (#pool > 0 or exists(requested)) and 1 or 0
return { false, 0, full, 'none' }
`;
