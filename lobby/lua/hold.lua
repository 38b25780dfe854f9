-- hold.lua — Store.Hold. ARGV: prefix, room, player, node, until. A
-- connected seat becomes a reservation until until again. Returns 'ok' or
-- why not: no_room, wrong_node <node>, not_connected.
local room, player, node, untl = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('EXISTS', key('room', room)) == 0 then
  return 'no_room'
end
local host = redis.call('HGET', key('room', room), 'node') or ''
if host ~= node then
  return 'wrong_node ' .. host
end
local u = redis.call('HGET', key('seats', room), player)
if not u or tonumber(u) ~= 0 then
  return 'not_connected'
end
redis.call('HSET', key('seats', room), player, untl)
redis.call('ZADD', key('expiries'), untl, room .. '|' .. player)
return 'ok'
