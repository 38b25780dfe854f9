-- dequeue.lua — Store.Dequeue. ARGV: prefix, entry id. Returns the entry
-- JSON, or '' if it was not queued.
local raw = remove_entry(ARGV[2])
if not raw then
  return ''
end
redis.call('INCR', key('changes'))
return raw
