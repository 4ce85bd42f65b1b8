import { LEASE_COMMON_LUA } from './lease-common.lua';

/**
 * A node's heartbeat: purges expired leases, extends its own, stores its info, and tells it where
 * Redis has it (its place may be gone if it was silent longer than its lease).
 *
 * KEYS: see lease-common.lua.ts
 * ARGV: 1 node id, 2 lease ms, 3 events channel, 4 node info JSON
 * Returns { holders entry or false, lease expiry ms }.
 */
export const HEARTBEAT_LUA = `${LEASE_COMMON_LUA}
local now = now_ms()
purge_expired(now)
renew(now, ARGV[4])
return { redis.call('HGET', KEYS[4], ARGV[1]), now + tonumber(ARGV[2]) }
`;
