/**
 * A node's place, as one value of the `{ns}:holders` hash (node id → entry): `p:<group>` for a
 * pinned node (it holds the group it asked for), `a:<group>` for a node placed by the pool. The
 * flag is a one-byte prefix so that the Lua scripts can count loads and movable nodes over every
 * holder with no JSON decoding.
 */
export interface Holder {
  group: string;
  pinned: boolean;
}

export function encodeHolder({ group, pinned }: Holder): string {
  return `${pinned ? 'p' : 'a'}:${group}`;
}

/** Null for a value that is not ours (written by hand): the scripts ignore such a value too. */
export function decodeHolder(entry: string): Holder | null {
  if (entry.length < 3 || entry[1] !== ':' || (entry[0] !== 'p' && entry[0] !== 'a')) return null;
  return { group: entry.slice(2), pinned: entry[0] === 'p' };
}
