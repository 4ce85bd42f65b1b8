/**
 * Lua shared by every script that tells nodes something (see docs/PROTOCOL.md). The caller passes
 * the channels (they are not keys); the one key read, `{ns}:protocol`, is in the script's KEYS:
 * - `{ns}:events:<group>` (the group channel prefix, then the name): a group's changes (records
 *   inline) and `rebalance` asks, heard only by the nodes that hold or share that group;
 * - `{ns}:control`: constant-size namespace messages (`created`), heard by every node;
 * - `{ns}:places`: constant-size `released` messages, heard only by nodes waiting for a place.
 *
 * Sharded pub/sub (SPUBLISH: stays on the slot's shard of a Cluster) when the server has it, plain
 * PUBLISH otherwise; `HSET {ns}:protocol pubsub plain` forces plain for publishers and nodes alike
 * (nodes read it when they first subscribe). Every message starts with `"v":2` (its format's
 * version, checked by the nodes' parser).
 */
export const EVENT_CHANNELS_LUA = `
local function publish_event(protocol_key, channel, message)
  if redis.call('HGET', protocol_key, 'pubsub') ~= 'plain' then
    local sent = redis.pcall('SPUBLISH', channel, message)
    if type(sent) ~= 'table' then return end
  end
  redis.call('PUBLISH', channel, message)
end

local function group_message(kind, name)
  return '{"v":2,"type":"' .. kind .. '","group":' .. cjson.encode(name) .. '}'
end
`;
