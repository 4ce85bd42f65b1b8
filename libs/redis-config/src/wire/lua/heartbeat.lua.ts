import { LEASE_COMMON_LUA } from './lease-common.lua';

/**
 * A node's heartbeat: purges expired leases, extends its own, stores its info, and tells it where
 * Redis has it (its place may be gone if it was silent longer than its lease), and when the next
 * lease of another node runs out (a node waiting for a place wakes up then).
 *
 * KEYS: see lease-common.lua.ts
 * ARGV: 1 node id, 2 lease ms, 3 events channel, 4 node info JSON
 * Returns { holders entry or false, Redis time ms, next expiry of another node's lease ms or false }.
 */
export const HEARTBEAT_LUA = `${LEASE_COMMON_LUA}
local now = now_ms()
purge_expired(now)
renew(now, ARGV[4])
local next_expiry = false
local first = redis.call('ZRANGE', KEYS[2], 0, 1, 'WITHSCORES')
for i = 1, #first, 2 do
  if first[i] ~= ARGV[1] and not next_expiry then next_expiry = tonumber(first[i + 1]) end
end
return { redis.call('HGET', KEYS[4], ARGV[1]), now, next_expiry }
`;
