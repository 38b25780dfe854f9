-- set_spectators.lua — Store.SetSpectators. ARGV: prefix, room, spectators,
-- limit. A room that does not exist is not created.
if redis.call('EXISTS', key('room', ARGV[2])) == 1 then
  redis.call('HSET', key('room', ARGV[2]), 'spectators', ARGV[3], 'spectator_limit', ARGV[4])
end
return 'ok'
