import { CHANGE_EVENT_LUA } from './change-event.lua';
import { EVENT_CHANNELS_LUA } from './event-channels.lua';
import { GROUP_DIGEST_LUA } from './group-digest.lua';
import { GROUP_INDEX_LUA } from './group-index.lua';
import { NOW_MS_LUA } from './redis-time.lua';

/**
 * The keys every script that writes records declares, in this order from its first write key
 * (`writeKeys`, wire/write-keys.ts): 1 groups hash, 2 namespace revision counter, 3 `{ns}:digests`,
 * 4 `{ns}:protocol`, 5 `{ns}:holder-counts`, 6 `{ns}:group-loads`, 7 `{ns}:movable-loads`.
 */
export const WRITE_KEY_COUNT = 7;

/**
 * Lua shared by the publish, import, delete and rollout revert scripts: the one write sequence of
 * a record (hash, digest, history, revision, the group's event) and of a group's removal, with
 * the placement index kept (a new or removed group; no index yet: nothing to keep, the first
 * decision builds it).
 *
 * `write_context(at, keep, channels, control, inline_max)`: the write keys from KEYS[at], the
 * history entries kept, the group channel prefix (`{ns}:events:`), the control channel and the
 * largest record carried in an event (CHANGE_EVENT_LUA).
 */
export const RECORD_WRITE_LUA = `${NOW_MS_LUA}${EVENT_CHANNELS_LUA}${CHANGE_EVENT_LUA}${GROUP_DIGEST_LUA}${GROUP_INDEX_LUA}
local function write_context(at, keep, channels, control, inline_max)
  return { groups = KEYS[at], revision = KEYS[at + 1], digests = KEYS[at + 2],
    protocol = KEYS[at + 3], counts = KEYS[at + 4], loads = KEYS[at + 5], movable = KEYS[at + 6],
    keep = tonumber(keep), channels = channels, control = control,
    inline_max = tonumber(inline_max), now = now_ms() }
end

local function index_group(w, name)
  if redis.call('EXISTS', w.loads) == 0 then return end
  index_sync(w.groups, w.counts, w.loads, w.movable, name)
end

-- Writes one version of a group; a new group gets its index entry and a created message.
local function write_record(w, name, name_json, history, record, version, kind, created)
  local digest = redis.sha1hex(record)
  redis.call('HSET', w.groups, name, record)
  store_digest(w.digests, name, digest, w.now)
  redis.call('LPUSH', history, record)
  redis.call('LTRIM', history, 0, w.keep - 1)
  redis.call('INCR', w.revision)
  publish_event(w.protocol, w.channels .. name,
    change_event(kind, name_json, version, record, digest, w.inline_max))
  if created then
    index_group(w, name)
    publish_event(w.protocol, w.control, group_message('created', name))
  end
end

-- Removes a group, its history and its digest; its holders hear deleted. False when absent.
local function delete_record(w, name, history)
  if redis.call('HDEL', w.groups, name) == 0 then return false end
  redis.call('DEL', history)
  redis.call('HDEL', w.digests, name)
  redis.call('INCR', w.revision)
  index_group(w, name)
  publish_event(w.protocol, w.channels .. name, group_message('deleted', name))
  return true
end
`;
