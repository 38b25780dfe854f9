-- release.lua — Store.Release. ARGV: prefix, room, player.
local room, player = ARGV[2], ARGV[3]
if redis.call('HEXISTS', key('seats', room), player) == 1 then
  free_seat(room, player)
  drop_if_empty(room)
end
return 'ok'
