-- remove_node.lua — Store.RemoveNode. ARGV: prefix, node. Returns the
-- seats freed.
return drop_node(ARGV[2])
