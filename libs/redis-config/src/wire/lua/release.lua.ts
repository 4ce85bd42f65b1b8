import { LEASE_COMMON_LUA } from './lease-common.lua';

/**
 * A clean shutdown: the node leaves at once (lease, info, place), and a node waiting for a place
 * is told by a `released` event instead of waiting for the lease to expire.
 *
 * KEYS: see lease-common.lua.ts
 * ARGV: see lease-common.lua.ts (2 lease ms unused)
 * Returns 1 when the node held a place, 0 otherwise.
 */
export const RELEASE_LUA = `${LEASE_COMMON_LUA}
purge_expired(now_ms())
local entry = redis.call('HGET', KEYS[4], ARGV[1])
local group = parse_holder(entry)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
del_holder(ARGV[1], entry)
if group then
  announce_release(group)
  return 1
end
return 0
`;
