/**
 * Settles one claimed attempt, atomically: logs it, then either schedules the next attempt
 * (`retrying`) or forgets the delivery (`delivered`, `failed`). An attempt whose claim is no longer
 * the latest (its lease ran out and another admin claimed it again) changes nothing.
 *
 * KEYS: 1 queue, 2 jobs, 3 attempts, 4 deliveries log (list)
 * ARGV: 1 delivery id, 2 attempt, 3 outcome, 4 retry delay ms, 5 log entry (a JSON object),
 *       6 log entries kept
 * Returns 1 when settled, 0 when the claim was stale.
 */
export const SETTLE_LUA = `
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return 0 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if ARGV[3] == 'retrying' then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
end
-- The entry is stamped with Redis time, the clock every admin replica shares.
redis.call('LPUSH', KEYS[4], '{"atMs":' .. string.format('%d', now) .. ',' .. string.sub(ARGV[5], 2))
redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[6]) - 1)
return 1
`;
