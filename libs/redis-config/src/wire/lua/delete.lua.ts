import { RECORD_WRITE_LUA } from './record-write.lua';

/**
 * Deletes a group, its history, its digest, its entries of the placement index and its rollout
 * (state and candidate: a deleted group's candidate must not outlive it, secrets included), and
 * tells the nodes that hold or share it (its channel).
 *
 * KEYS: 1–7 the write keys (RECORD_WRITE_LUA), 8 history list of the group, 9 its rollout hash,
 *       10 the running rollouts set
 * ARGV: 1 group name, 2 group channel prefix
 * Returns 1 when the group existed, 0 otherwise.
 */
export const DELETE_LUA = `${RECORD_WRITE_LUA}
local w = write_context(1, 1, ARGV[2], '', 0)
if not delete_record(w, ARGV[1], KEYS[8]) then return 0 end
redis.call('DEL', KEYS[9])
redis.call('SREM', KEYS[10], ARGV[1])
return 1
`;
