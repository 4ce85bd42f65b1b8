import { LEASE_COMMON_LUA, LEASE_KEY_COUNT } from './lease-common.lua';
import { NODE_CHECK_LUA } from './node-tick.lua';
import { RENEW_LUA } from './renew.lua';

/**
 * A node's one periodic call: purges expired leases (when the earliest lease has run out),
 * extends its own, stores its info when it sends one (only when it changed), tells it where Redis
 * has it (its place may be gone if it was silent longer than its lease) and when the next lease
 * of another node runs out (a node waiting for a place wakes up then), and, on the beats due for
 * it (about every refresh), runs its periodic check (`node_check`: digests of its groups, the rollout of the group it holds). Called with the
 * number of keys first.
 *
 * KEYS: 1–8 see lease-common.lua.ts (its functions defined inside the purge's branch only),
 *       9 the held group's rollout hash, 10... each shared group's one
 * ARGV: 1 node id, 2 lease ms, 3 events channel, 4 node info JSON ('' = unchanged),
 *       5 '1' to run the check ('0': a beat that is not due for it, no check keys after 8),
 *       6 held group ('' = none), 7 requested group, 8... the shared groups
 * Returns { holders entry or false, Redis time ms, next expiry of another node's lease ms or false,
 *           1 when Redis has the node's info (0: it was purged or removed, send it again),
 *           node_check's reply, or false when not asked }.
 */
export const HEARTBEAT_LUA = `${RENEW_LUA}${NODE_CHECK_LUA}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- The two earliest leases: expired ones are purged only when the earliest has run out. Most beats
-- find none: they skip purge_expired's range commands and never define the lease toolkit.
local first = redis.call('ZRANGE', KEYS[2], 0, 1, 'WITHSCORES')
if #first > 0 and tonumber(first[2]) < now then
  ${LEASE_COMMON_LUA}
  purge_expired(now)
  first = redis.call('ZRANGE', KEYS[2], 0, 1, 'WITHSCORES')
end
local has_info = renew(now, ARGV[4])
local next_expiry = false
for i = 1, #first, 2 do
  if first[i] ~= ARGV[1] and not next_expiry then next_expiry = tonumber(first[i + 1]) end
end
return { redis.call('HGET', KEYS[4], ARGV[1]), now, next_expiry, has_info, ARGV[5] == '1' and node_check(${LEASE_KEY_COUNT + 1}, 6) }
`;
