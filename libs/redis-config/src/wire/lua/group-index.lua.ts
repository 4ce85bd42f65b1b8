/**
 * The placement index (see assignment/README.md): two sorted sets kept next to the holder counts,
 * so that a placement finds the least (or most) loaded group in O(log groups):
 * - `{ns}:group-loads`: every existing group → its number of live holders (pinned + placed);
 * - `{ns}:movable-loads`: the existing groups holding at least one pool-placed node → the same.
 *
 * `index_sync` brings one group's entries in line with its counts and its existence, O(log groups):
 * the lease scripts call it at every change of a count, the publish, import and delete scripts
 * (`index_group`, with the keys of RECORD_WRITE_LUA) when a group appears or goes. Every key is
 * the caller's (from its KEYS).
 */
export const GROUP_INDEX_LUA = `
local function index_sync(groups_key, counts_key, loads_key, movable_key, group)
  local counts = redis.call('HMGET', counts_key, 'p:' .. group, 'a:' .. group)
  local placed = tonumber(counts[2]) or 0
  local load = (tonumber(counts[1]) or 0) + placed
  if redis.call('HEXISTS', groups_key, group) == 1 then
    redis.call('ZADD', loads_key, load, group)
    if placed > 0 then redis.call('ZADD', movable_key, load, group)
    else redis.call('ZREM', movable_key, group) end
  else
    redis.call('ZREM', loads_key, group)
    redis.call('ZREM', movable_key, group)
  end
end
`;
