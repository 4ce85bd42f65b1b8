import type { ConfigKeys } from '../store/config-keys';

/**
 * The keys the assignment scripts touch, in their KEYS order (see lease-common.lua.ts). The last
 * one is the assignment's own: `{ns}:holder-counts`, hash-tagged like every key of the namespace.
 */
export function assignmentKeys(keys: ConfigKeys): string[] {
  return [keys.groups, keys.nodes, keys.nodeInfo, keys.holders, holderCountsKey(keys)];
}

/** Hash `p:<group>` / `a:<group>` → number of holders with that entry (kept by the scripts). */
export function holderCountsKey(keys: ConfigKeys): string {
  return `{${keys.namespace}}:holder-counts`;
}
