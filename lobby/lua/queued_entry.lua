-- queued_entry.lua — Store.QueuedEntry. ARGV: prefix, player. Returns the
-- entry JSON, or ''.
local id = redis.call('GET', key('queued', ARGV[2]))
if not id then
  return ''
end
return redis.call('GET', key('entry', id)) or ''
