-- party_leave.lua — Store.LeaveParty. ARGV: prefix, player. Returns
-- {'ok', party JSON as it was} or {'err', reason}.
local player = ARGV[2]
local id = redis.call('GET', key('partyof', player))
if not id then
  return {'err', 'not_found'}
end
local raw = redis.call('GET', key('party', id))
local p = cjson.decode(raw)
if redis.call('EXISTS', key('queued', p.leader)) == 1 then
  return {'err', 'party_queued'}
end
if p.leader == player then
  for _, m in ipairs(p.members) do
    redis.call('DEL', key('partyof', m))
  end
  redis.call('DEL', key('party', id), key('partycode', p.code))
  return {'ok', raw}
end
local kept, names = {}, {}
for i, m in ipairs(p.members) do
  if m ~= player then
    kept[#kept + 1] = m
    names[#kept] = (p.names and p.names[i]) or ''
  end
end
p.members, p.names = kept, names
redis.call('SET', key('party', id), cjson.encode(p))
redis.call('DEL', key('partyof', player))
return {'ok', raw}
