import { RECORD_WRITE_LUA } from './record-write.lua';

/**
 * Deletes a group, its history, its digest and its entries of the placement index, and tells the
 * nodes that hold or share it (its channel).
 *
 * KEYS: 1–7 the write keys (RECORD_WRITE_LUA), 8 history list of the group
 * ARGV: 1 group name, 2 group channel prefix
 * Returns 1 when the group existed, 0 otherwise.
 */
export const DELETE_LUA = `${RECORD_WRITE_LUA}
local w = write_context(1, 1, ARGV[2], '', 0)
return delete_record(w, ARGV[1], KEYS[8]) and 1 or 0
`;
