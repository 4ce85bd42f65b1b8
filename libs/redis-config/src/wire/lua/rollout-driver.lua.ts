/**
 * Takes or renews the lease of the admin that drives the rollouts' bakes: free, or already its.
 *
 * KEYS: 1 driver key
 * ARGV: 1 this admin's id, 2 lease ms
 * Returns 1 when this admin holds the lease now, 0 when another one does.
 */
export const ROLLOUT_DRIVER_LUA = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
return 1
`;
