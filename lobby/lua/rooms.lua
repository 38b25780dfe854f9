-- rooms.lua — Store.Rooms. ARGV: prefix, now. Returns the rooms as a JSON
-- array, counted in one step.
local now = tonumber(ARGV[2])
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', key('rooms'))) do
  local r = room_info(id, now)
  if r then
    out[#out + 1] = cjson.encode(r)
  end
end
return '[' .. table.concat(out, ',') .. ']'
