-- nodes.lua — Store.Nodes. ARGV: prefix, now. Returns {JSON, expiry (ms)}
-- pairs of the nodes live at now, in one step.
local out = {}
for _, node in ipairs(redis.call('ZRANGEBYSCORE', key('nodes'), '(' .. ARGV[2], '+inf', 'WITHSCORES')) do
  out[#out + 1] = node
end
local res = {}
for i = 1, #out, 2 do
  local raw = redis.call('GET', key('node', out[i]))
  if raw then
    res[#res + 1] = raw
    res[#res + 1] = out[i + 1]
  end
end
return res
