/**
 * `renew(now, info_json)`: extends the caller's lease (ARGV[1] node id, ARGV[2] lease ms; KEYS[2]
 * `{ns}:nodes`, KEYS[3] `{ns}:node-info`, as in lease-common.lua.ts). What it reports (a JSON object) is stored when it sends one,
 * stamped with Redis time and the lease length: the admin reads the last heartbeat as the lease
 * expiry minus the lease, so a report that did not change is not written again ('' leaves it).
 * Returns 1 when Redis has the caller's report, 0 when it has none (purged, removed).
 */
export const RENEW_LUA = `
local function renew(now, info_json)
  local expiry = string.format('%d', now + tonumber(ARGV[2]))
  redis.call('ZADD', KEYS[2], expiry, ARGV[1])
  if info_json == '' then return redis.call('HEXISTS', KEYS[3], ARGV[1]) end
  local info = cjson.decode(info_json)
  info.heartbeatAtMs = now
  info.leaseMs = tonumber(ARGV[2])
  redis.call('HSET', KEYS[3], ARGV[1], cjson.encode(info))
  return 1
end
`;
