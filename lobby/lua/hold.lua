-- hold.lua — Store.Hold. ARGV: prefix, room, player, node, until. A
-- connected seat becomes a reservation until until again. Returns 'ok' or
-- why not: no_room, wrong_node <node>, not_connected.
local room, player, node, untl = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local why = off_node(room, node)
if why then
  return why
end
local u = redis.call('HGET', key('seats', room), player)
if not u or tonumber(u) ~= 0 then
  return 'not_connected'
end
redis.call('HSET', key('seats', room), player, untl)
redis.call('ZADD', key('expiries'), untl, room .. '|' .. player)
return 'ok'
