import type { ConfigKeys } from '../wire/config-keys';

/** The keys the assignment scripts touch, in their KEYS order (see lease-common.lua.ts). */
export function assignmentKeys(keys: ConfigKeys): string[] {
  return [
    keys.groups,
    keys.nodes,
    keys.nodeInfo,
    keys.holders,
    keys.holderCounts,
    keys.groupLoads,
    keys.movableLoads,
    keys.placementIndex,
    keys.protocol,
  ];
}
