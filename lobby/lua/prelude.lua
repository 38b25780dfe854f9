-- prelude.lua — shared by every script of store_redis.go, prepended to each
-- one. ARGV[1] is always the key prefix. Player ids travel as decimal
-- strings (Lua numbers are doubles and would round a uint64); times are
-- unix milliseconds. A seat's value in seats:<room> is the reservation's
-- expiry, or 0 once the player connected.
local P = ARGV[1]

local function key(...)
  return P .. table.concat({...}, ':')
end

local function free_seat(room, player)
  redis.call('HDEL', key('seats', room), player)
  redis.call('HDEL', key('ratings', room), player)
  if redis.call('GET', key('seat', player)) == room then
    redis.call('DEL', key('seat', player))
  end
  redis.call('ZREM', key('expiries'), room .. '|' .. player)
end

local function drop_if_empty(room)
  if redis.call('HLEN', key('seats', room)) > 0 then
    return
  end
  local code = redis.call('HGET', key('room', room), 'code')
  if code and code ~= '' then
    redis.call('DEL', key('code', code))
  end
  local node = redis.call('HGET', key('room', room), 'node')
  if node and node ~= '' then
    redis.call('SREM', key('noderooms', node), room)
  end
  redis.call('DEL', key('room', room), key('seats', room), key('ratings', room))
  redis.call('SREM', key('rooms'), room)
end

local function expired(deadline, now)
  return deadline ~= 0 and deadline <= now
end

-- live_seat returns the room player holds an unexpired seat in, or nil,
-- freeing an expired one on the way.
local function live_seat(player, now)
  local room = redis.call('GET', key('seat', player))
  if not room then
    return nil
  end
  local u = redis.call('HGET', key('seats', room), player)
  if not u then
    redis.call('DEL', key('seat', player))
    return nil
  end
  if expired(tonumber(u), now) then
    free_seat(room, player)
    drop_if_empty(room)
    return nil
  end
  return room
end

local function purge_room(room, now)
  local seats = redis.call('HGETALL', key('seats', room))
  local n = 0
  for i = 1, #seats, 2 do
    if expired(tonumber(seats[i + 1]), now) then
      free_seat(room, seats[i])
      n = n + 1
    end
  end
  return n
end

local function remove_entry(id)
  local raw = redis.call('GET', key('entry', id))
  if not raw then
    return nil
  end
  local e = cjson.decode(raw)
  redis.call('DEL', key('entry', id))
  redis.call('ZREM', key('queue', e.mode), id)
  for _, m in ipairs(e.members) do
    redis.call('DEL', key('queued', m.id))
  end
  return raw
end

-- room_info is a room's record with its live seats counted at now.
local function room_info(room, now)
  local h = redis.call('HGETALL', key('room', room))
  if #h == 0 then
    return nil
  end
  local r = {id = room}
  for i = 1, #h, 2 do
    r[h[i]] = h[i + 1]
  end
  local seats = redis.call('HGETALL', key('seats', room))
  local ratings = redis.call('HGETALL', key('ratings', room))
  local rating = {}
  for i = 1, #ratings, 2 do
    rating[ratings[i]] = tonumber(ratings[i + 1])
  end
  local reserved, connected, sum = 0, 0, 0
  for i = 1, #seats, 2 do
    local u = tonumber(seats[i + 1])
    if u == 0 then
      connected = connected + 1
      sum = sum + (rating[seats[i]] or 0)
    elseif u > now then
      reserved = reserved + 1
      sum = sum + (rating[seats[i]] or 0)
    end
  end
  r.reserved, r.connected, r.rating_sum = reserved, connected, tostring(sum)
  return r
end

-- drop_node takes node out of rotation with every seat of its rooms, and
-- returns how many seats that freed.
local function drop_node(node)
  local n = 0
  for _, room in ipairs(redis.call('SMEMBERS', key('noderooms', node))) do
    for _, player in ipairs(redis.call('HKEYS', key('seats', room))) do
      free_seat(room, player)
      n = n + 1
    end
    drop_if_empty(room)
  end
  redis.call('DEL', key('noderooms', node), key('node', node))
  redis.call('ZREM', key('nodes'), node)
  return n
end

-- node_open reports whether node is live at now and not draining: whether
-- a new room may go there.
local function node_open(node, now)
  local exp = redis.call('ZSCORE', key('nodes'), node)
  if not exp or tonumber(exp) <= now then
    return false
  end
  local raw = redis.call('GET', key('node', node))
  return raw ~= false and not cjson.decode(raw).draining
end

-- off_node returns why node may not confirm seats in room ('no_room', or
-- 'wrong_node <the node that hosts it>'), or nil: claim.lua and hold.lua.
local function off_node(room, node)
  if redis.call('EXISTS', key('room', room)) == 0 then
    return 'no_room'
  end
  local host = redis.call('HGET', key('room', room), 'node') or ''
  if host ~= node then
    return 'wrong_node ' .. host
  end
  return nil
end
