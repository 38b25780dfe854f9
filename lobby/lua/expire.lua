-- expire.lua — one batch of Store.Expire. ARGV: prefix, now, batch size.
-- Returns {seats freed, index entries looked at}; the caller repeats
-- while a whole batch was looked at. Lapsed keys go first.
local now = tonumber(ARGV[2])
local freed = 0
redis.call('ZREMRANGEBYSCORE', key('keys'), '-inf', now)
local due = redis.call('ZRANGEBYSCORE', key('expiries'), '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(due) do
  local sep = string.find(member, '|', 1, true)
  local room, player = string.sub(member, 1, sep - 1), string.sub(member, sep + 1)
  local u = redis.call('HGET', key('seats', room), player)
  if u and expired(tonumber(u), now) then
    free_seat(room, player)
    drop_if_empty(room)
    freed = freed + 1
  else
    redis.call('ZREM', key('expiries'), member)
  end
end
return {freed, #due}
