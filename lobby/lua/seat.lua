-- seat.lua — Store.Seat. ARGV: prefix, now, player. Returns {room, until,
-- node} for a live seat (until 0: connected; node '' for the lobby's own
-- process), or {} for none.
local now = tonumber(ARGV[2])
local room = redis.call('GET', key('seat', ARGV[3]))
if not room then
  return {}
end
local u = redis.call('HGET', key('seats', room), ARGV[3])
if not u or expired(tonumber(u), now) then
  return {}
end
return {room, u, redis.call('HGET', key('room', room), 'node') or ''}
