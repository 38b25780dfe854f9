-- room_by_code.lua — Store.RoomByCode. ARGV: prefix, now, code. Returns
-- the room's JSON, or ''.
local id = redis.call('GET', key('code', ARGV[3]))
if not id then
  return ''
end
local r = room_info(id, tonumber(ARGV[2]))
if not r then
  return ''
end
return cjson.encode(r)
