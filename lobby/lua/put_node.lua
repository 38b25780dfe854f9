-- put_node.lua — Store.PutNode. ARGV: prefix, node id, node JSON, expiry
-- (ms).
redis.call('SET', key('node', ARGV[2]), ARGV[3])
redis.call('ZADD', key('nodes'), ARGV[4], ARGV[2])
return 'ok'
