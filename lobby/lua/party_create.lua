-- party_create.lua — Store.CreateParty. ARGV: prefix, party JSON {id,
-- code, leader, members [leader], names [leader's]}.
local p = cjson.decode(ARGV[2])
if redis.call('EXISTS', key('partyof', p.leader)) == 1 then
  return 'in_party'
end
if not redis.call('SET', key('partycode', p.code), p.id, 'NX') then
  return 'code_taken'
end
redis.call('SET', key('party', p.id), ARGV[2])
redis.call('SET', key('partyof', p.leader), p.id)
return 'ok'
