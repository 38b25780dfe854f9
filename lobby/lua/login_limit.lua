-- login_limit.lua — the login limit shared by every lobby process
-- (store_redis_limit.go): a GCRA token bucket per client address.
-- ARGV: prefix, address, now (ms), interval (ms a token takes to come
-- back), burst. The key holds the bucket's theoretical arrival time (ms)
-- and expires when the bucket is full again. Returns 0 when a token was
-- taken, else the ms until one is there.
local k = key('login', ARGV[2])
local now = tonumber(ARGV[3])
local interval = tonumber(ARGV[4])
local limit = interval * tonumber(ARGV[5])
local tat = tonumber(redis.call('GET', k) or '0') or 0
if tat < now then
  tat = now
end
local next = tat + interval
if next - now > limit then
  return next - now - limit
end
redis.call('SET', k, string.format('%d', next), 'PX', string.format('%d', next - now))
return 0
