/**
 * Lua helper shared by the write scripts (needs NOW_MS_LUA): the message a write publishes on the
 * group's channel.
 *
 * `{"v":2,"type":…,"group":…,"version":V,"publishedAtMs":T}`, and when the stored record is at
 * most `inline_max` bytes also `"digest"` (SHA-1 of the record, as the node check compares it) and
 * `"record"` (the stored JSON itself, embedded as is: our store built it, so it is valid JSON),
 * last, so that nodes can apply the version without reading it back. `inline_max` 0 never inlines.
 * `"publishedAtMs"` (Redis time of the write) lets a node measure publish → applied on one clock.
 */
export const CHANGE_EVENT_LUA = `
local function change_event(kind, name_json, version, record, digest, inline_max)
  local event = '{"v":2,"type":"' .. kind .. '","group":' .. name_json ..
    ',"version":' .. string.format('%d', version) .. ',"publishedAtMs":' ..
    string.format('%d', now_ms())
  if #record <= inline_max then
    event = event .. ',"digest":"' .. digest .. '","record":' .. record
  end
  return event .. '}'
end
`;
