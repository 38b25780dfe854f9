-- lead.lua — Store.Lead. ARGV: prefix, owner, ttl (ms). Returns 1 when
-- owner leads (now or still), else 0.
local cur = redis.call('GET', key('leader'))
if cur == ARGV[2] then
  redis.call('PEXPIRE', key('leader'), ARGV[3])
  return 1
end
if not cur then
  redis.call('SET', key('leader'), ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
