-- claim.lua — Store.Claim. ARGV: prefix, now, room, player, node. Returns
-- 'ok' or why not: no_room, wrong_node <node>, no_seat, connected, expired.
local now, room, player, node = tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local why = off_node(room, node)
if why then
  return why
end
local u = redis.call('HGET', key('seats', room), player)
if not u then
  return 'no_seat'
end
if tonumber(u) == 0 then
  return 'connected'
end
if expired(tonumber(u), now) then
  free_seat(room, player)
  drop_if_empty(room)
  return 'expired'
end
redis.call('HSET', key('seats', room), player, '0')
redis.call('ZREM', key('expiries'), room .. '|' .. player)
return 'ok'
