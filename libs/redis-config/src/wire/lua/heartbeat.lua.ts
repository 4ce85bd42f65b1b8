import { LEASE_KEY_COUNT, LEASE_TOOLKIT_LUA } from './lease-common.lua';
import { NODE_CHECK_LUA } from './node-tick.lua';
import { NOW_MS_LUA } from './redis-time.lua';
import { RENEW_LUA } from './renew.lua';

/**
 * A node's one periodic call: purges expired leases (when the earliest lease has run out),
 * extends its own, stores its info when it sends one (only when it changed), tells it where Redis
 * has it (its place may be gone if it was silent longer than its lease) and when the next lease
 * of another node runs out (a node waiting for a place wakes up then), and, on the beats due for
 * it (about every refresh), runs its periodic check (`node_check`: the stored digests of its
 * groups, the rollout of the group it holds). Called with the number of keys first.
 *
 * KEYS: 1–9 see lease-common.lua.ts (its toolkit defined inside the purge's branch only), then `nodeCheckKeys` (when checking): 10 `{ns}:digests`,
 *       11 the held group's rollout hash, 12... each shared group's one
 * ARGV: 1–4 see lease-common.lua.ts, 5 node info JSON ('' = unchanged),
 *       6 '1' to run the check ('0': a beat that is not due for it, no check keys after 9),
 *       then `nodeCheckArgs`: 7 digest age checked again (ms), 8 held group ('' = none),
 *       9 requested group, 10... the shared groups
 * Returns { holders entry or false, Redis time ms, next expiry of another node's lease ms or false,
 *           1 when Redis has the node's info (0: it was purged or removed, send it again),
 *           node_check's reply, or false when not asked }.
 */
export const HEARTBEAT_LUA = `${NOW_MS_LUA}${RENEW_LUA}${NODE_CHECK_LUA}
local now = now_ms()
-- The two earliest leases: expired ones are purged only when the earliest has run out. Most beats
-- find none: they skip purge_expired's range commands and never define the lease toolkit.
local first = redis.call('ZRANGE', KEYS[2], 0, 1, 'WITHSCORES')
if #first > 0 and tonumber(first[2]) < now then
  ${LEASE_TOOLKIT_LUA}
  purge_expired(now)
  first = redis.call('ZRANGE', KEYS[2], 0, 1, 'WITHSCORES')
end
local has_info = renew(now, ARGV[5])
local next_expiry = false
for i = 1, #first, 2 do
  if first[i] ~= ARGV[1] and not next_expiry then next_expiry = tonumber(first[i + 1]) end
end
return { redis.call('HGET', KEYS[4], ARGV[1]), now, next_expiry, has_info,
  ARGV[6] == '1' and node_check(${LEASE_KEY_COUNT + 1}, 7, now) }
`;
