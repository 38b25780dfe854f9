-- party_join.lua — Store.JoinParty. ARGV: prefix, code, player, max, name.
-- Returns {'ok', party JSON} or {'err', reason}.
local player = ARGV[3]
local id = redis.call('GET', key('partycode', ARGV[2]))
if not id then
  return {'err', 'not_found'}
end
local raw = redis.call('GET', key('party', id))
local cur = redis.call('GET', key('partyof', player))
if cur == id then
  return {'ok', raw}
end
if cur then
  return {'err', 'in_party'}
end
local p = cjson.decode(raw)
if redis.call('EXISTS', key('queued', p.leader)) == 1 then
  return {'err', 'party_queued'}
end
if #p.members >= tonumber(ARGV[4]) then
  return {'err', 'party_full'}
end
table.insert(p.members, player)
p.names = p.names or {}
p.names[#p.members] = ARGV[5]
raw = cjson.encode(p)
redis.call('SET', key('party', id), raw)
redis.call('SET', key('partyof', player), id)
return {'ok', raw}
