/**
 * Lua helper shared by the write scripts: the message a write publishes on the events channel.
 *
 * `{"type":…,"group":…,"version":V}`, and when the stored record is at most `inline_max` bytes
 * also `"digest"` (SHA-1 of the record, as the node check computes it) and `"record"` (the stored
 * JSON itself, embedded as is: our store built it, so it is valid JSON), last, so that nodes can
 * apply the version without reading it back. `inline_max` 0 never inlines. `"publishedAtMs"`
 * (Redis time of the write) lets a node measure publish → applied against one clock.
 */
export const CHANGE_EVENT_LUA = `
local function change_event(kind, name_json, version, record, inline_max)
  local time = redis.call('TIME')
  local event = '{"type":"' .. kind .. '","group":' .. name_json ..
    ',"version":' .. string.format('%d', version) .. ',"publishedAtMs":' ..
    string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
  if #record <= inline_max then
    event = event .. ',"digest":"' .. redis.sha1hex(record) .. '","record":' .. record
  end
  return event .. '}'
end
`;
