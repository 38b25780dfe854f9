-- expire_nodes.lua — Store.ExpireNodes. ARGV: prefix, now. Drops the
-- nodes whose heartbeat lapsed, with their rooms; returns the seats freed.
local freed = 0
for _, node in ipairs(redis.call('ZRANGEBYSCORE', key('nodes'), '-inf', tonumber(ARGV[2]))) do
  freed = freed + drop_node(node)
end
return freed
