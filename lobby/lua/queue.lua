-- queue.lua — Store.Queue. ARGV: prefix, mode, index of the last entry
-- wanted (-1: all). Returns the entries' JSON, oldest first, read in one
-- step.
local out = {}
for _, id in ipairs(redis.call('ZRANGE', key('queue', ARGV[2]), 0, ARGV[3])) do
  local raw = redis.call('GET', key('entry', id))
  if raw then
    out[#out + 1] = raw
  end
end
return out
