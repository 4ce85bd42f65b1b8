/**
 * Lua shared by every script that tells nodes something (protocol 2, see docs/PROTOCOL.md).
 *
 * Every channel and key is derived from the legacy events channel `{ns}:events` the caller passes
 * (all of them carry the namespace's hash tag, so they live in the script's slot):
 * - `{ns}:events:<group>`: a group's changes (records inline) and `rebalance` asks, heard only by
 *   the nodes that hold or share that group;
 * - `{ns}:control`: constant-size namespace messages (`created`), heard by every node;
 * - `{ns}:places`: constant-size `released` messages, heard only by nodes waiting for a place;
 * - `{ns}:events`: the previous release's channel, fed only while nodes of it are live
 *   (`{ns}:nodes` counts every live node, `{ns}:nodes:v2` the nodes of protocol 2 or later).
 *
 * Channels of protocol 2 use sharded pub/sub (SPUBLISH: stays on the slot's shard of a Cluster)
 * when the server has it, plain PUBLISH otherwise; `HSET {ns}:protocol pubsub plain` forces plain
 * for publishers and nodes alike (nodes read it at connect).
 */
export const EVENT_CHANNELS_LUA = `
local function rcc_tag(events) return string.sub(events, 1, -8) end

local function publish_v2(events, channel, message)
  if redis.call('HGET', rcc_tag(events) .. ':protocol', 'pubsub') ~= 'plain' then
    local sent = redis.pcall('SPUBLISH', channel, message)
    if type(sent) ~= 'table' then return end
  end
  redis.call('PUBLISH', channel, message)
end

local function group_channel(events, name) return events .. ':' .. name end

-- True while a node of the previous protocol holds a live lease: O(log n).
local function legacy_nodes_live(events)
  local tag = rcc_tag(events)
  local t = redis.call('TIME')
  local now = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
  return redis.call('ZCOUNT', tag .. ':nodes', now, '+inf') >
    redis.call('ZCOUNT', tag .. ':nodes:v2', now, '+inf')
end

-- A protocol 2 message is the legacy one with "v":2 first (old parsers ignore the extra member).
local function as_v2(message) return '{"v":2,' .. string.sub(message, 2) end

-- A change of one group: to its holders, and to the legacy channel while old nodes live.
local function emit_group_event(events, name, message)
  publish_v2(events, group_channel(events, name), as_v2(message))
  if legacy_nodes_live(events) then redis.call('PUBLISH', events, message) end
end

-- A group appeared: every node may want it (waiting, asking for it, or balancing). Constant size.
local function emit_created(events, name_json)
  local message = '{"v":2,"type":"created","group":' .. name_json .. '}'
  publish_v2(events, rcc_tag(events) .. ':control', message)
end
`;
