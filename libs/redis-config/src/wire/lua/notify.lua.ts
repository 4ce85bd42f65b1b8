import { EVENT_CHANNELS_LUA } from './event-channels.lua';

/**
 * Tells the holders of some groups that they changed, for writes made without a script (the
 * rekey's MULTI): each message goes where a publish's would (the group's channel), and the groups'
 * digests are dropped, so that the next periodic check hashes the new records (GROUP_DIGEST_LUA).
 * Run inside that MULTI, so it is sent only if the writes are.
 *
 * KEYS: 1 `{ns}:digests`, 2 `{ns}:protocol`
 * ARGV: 1 group channel prefix, then pairs: group name, its change event JSON
 */
export const NOTIFY_LUA = `${EVENT_CHANNELS_LUA}
for i = 2, #ARGV, 2 do
  redis.call('HDEL', KEYS[1], ARGV[i])
  publish_event(KEYS[2], ARGV[1] .. ARGV[i], ARGV[i + 1])
end
return 1
`;
