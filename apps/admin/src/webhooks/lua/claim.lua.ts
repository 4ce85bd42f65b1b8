/**
 * Claims the deliveries that are due, atomically: each is moved a lease ahead in the queue (so no
 * other admin takes it meanwhile, and a crashed one's claim comes due again) and its attempt count
 * goes up by one (the claim's token: only that attempt may settle it).
 *
 * KEYS: 1 queue (zset), 2 jobs (hash), 3 attempts (hash)
 * ARGV: 1 most deliveries claimed, 2 lease ms
 * Returns { id1, job1, attempt1, id2, … }.
 */
export const CLAIM_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local claimed = {}
for _, id in ipairs(due) do
  local job = redis.call('HGET', KEYS[2], id)
  if job then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), id)
    local attempt = redis.call('HINCRBY', KEYS[3], id, 1)
    claimed[#claimed + 1] = id
    claimed[#claimed + 1] = job
    claimed[#claimed + 1] = attempt
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return claimed
`;
