-- set_match.lua — Store.SetMatch. ARGV: prefix, room, match end (ms, 0:
-- between matches). A room that does not exist is not created.
if redis.call('EXISTS', key('room', ARGV[2])) == 1 then
  redis.call('HSET', key('room', ARGV[2]), 'match_ends', ARGV[3])
end
return 'ok'
