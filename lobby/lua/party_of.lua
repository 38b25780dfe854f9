-- party_of.lua — Store.PartyOf. ARGV: prefix, player. Returns the party
-- JSON, or ''.
local id = redis.call('GET', key('partyof', ARGV[2]))
if not id then
  return ''
end
return redis.call('GET', key('party', id)) or ''
