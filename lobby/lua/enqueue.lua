-- enqueue.lua — Store.Enqueue. ARGV: prefix, now, entry JSON.
local now = tonumber(ARGV[2])
local e = cjson.decode(ARGV[3])
for _, m in ipairs(e.members) do
  local q = redis.call('GET', key('queued', m.id))
  if q then
    return 'queued ' .. q
  end
  local room = live_seat(m.id, now)
  if room then
    return 'seated ' .. room
  end
end
redis.call('SET', key('entry', e.id), ARGV[3])
redis.call('ZADD', key('queue', e.mode), e.enqueued, e.id)
for _, m in ipairs(e.members) do
  redis.call('SET', key('queued', m.id), e.id)
end
return 'ok'
