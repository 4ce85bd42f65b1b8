import type { ConfigKeys } from './config-keys';

/** The keys every script that writes records declares, in RECORD_WRITE_LUA's order. */
export function writeKeys(keys: ConfigKeys): string[] {
  return [
    keys.groups,
    keys.revision,
    keys.digests,
    keys.protocol,
    keys.holderCounts,
    keys.groupLoads,
    keys.movableLoads,
  ];
}
