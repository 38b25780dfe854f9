-- reserve.lua — one reservation of Store.Reserve: every check first, then
-- every write, so a refused reservation changes nothing but expired seats.
-- ARGV: prefix, now, reservation JSON {room {id, mode, capacity, private,
-- code, node}, create, entry, members [{id, rating}], until, leader}.
local now = tonumber(ARGV[2])
local r = cjson.decode(ARGV[3])
local room = r.room
if r.leader ~= '' and redis.call('GET', key('leader')) ~= r.leader then
  return 'not_leader'
end
if r.entry ~= '' and redis.call('EXISTS', key('entry', r.entry)) == 0 then
  return 'entry_gone'
end
for _, m in ipairs(r.members) do
  local q = redis.call('GET', key('queued', m.id))
  if q and q ~= r.entry then
    return 'queued ' .. q
  end
  local s = live_seat(m.id, now)
  if s then
    return 'seated ' .. s
  end
end
local exists = redis.call('EXISTS', key('room', room.id)) == 1
if exists and r.create then
  return 'room_exists'
end
if not exists and not r.create then
  return 'room_gone'
end
if exists then
  purge_room(room.id, now)
  local capacity = tonumber(redis.call('HGET', key('room', room.id), 'capacity'))
  if #r.members > capacity - redis.call('HLEN', key('seats', room.id)) then
    drop_if_empty(room.id)
    return 'room_full'
  end
else
  if room.code ~= '' and redis.call('EXISTS', key('code', room.code)) == 1 then
    return 'code_taken'
  end
  if #r.members > room.capacity then
    return 'room_full'
  end
  if room.node ~= '' and not node_open(room.node, now) then
    return 'node_gone ' .. room.node
  end
  redis.call('HSET', key('room', room.id), 'mode', room.mode, 'capacity', room.capacity,
    'private', room.private and '1' or '0', 'code', room.code, 'match_ends', '0', 'node', room.node)
  redis.call('SADD', key('rooms'), room.id)
  if room.node ~= '' then
    redis.call('SADD', key('noderooms', room.node), room.id)
  end
  if room.code ~= '' then
    redis.call('SET', key('code', room.code), room.id)
  end
end
for _, m in ipairs(r.members) do
  redis.call('HSET', key('seats', room.id), m.id, r['until'])
  redis.call('HSET', key('ratings', room.id), m.id, m.rating)
  redis.call('SET', key('seat', m.id), room.id)
  redis.call('ZADD', key('expiries'), r['until'], room.id .. '|' .. m.id)
end
if r.entry ~= '' then
  remove_entry(r.entry)
end
redis.call('INCR', key('changes'))
return 'ok'
