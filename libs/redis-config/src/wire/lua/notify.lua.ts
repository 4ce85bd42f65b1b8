import { EVENT_CHANNELS_LUA } from './event-channels.lua';

/**
 * Tells the holders of some groups that they changed, for writes made without a script (the
 * rekey's MULTI): each message goes where a publish's would (the group's channel; the legacy
 * channel while nodes of the previous release live). Run inside that MULTI, so it is sent only
 * if the writes are.
 *
 * KEYS: 1 groups hash (routes the call to the namespace's slot)
 * ARGV: 1 events channel, then pairs: group name, its change event JSON (protocol 1 form)
 */
export const NOTIFY_LUA = `${EVENT_CHANNELS_LUA}
for i = 2, #ARGV, 2 do emit_group_event(ARGV[1], ARGV[i], ARGV[i + 1]) end
return 1
`;
