import type { ConfigDict, GroupRecord, NodeInfo } from '../api/api-types';

/** One key of a node's effective config, with the group it comes from. */
export interface EffectiveKey {
  key: string;
  value: unknown;
  source: string;
}

/** The groups a node's effective config is made of, lowest precedence first (DESIGN §12). */
export function sourceNames(node: NodeInfo): string[] {
  const names = (node.shared ?? []).map((shared) => shared.name);
  if (node.group !== null) names.push(node.group);
  return names;
}

/**
 * Layers the stored groups as the node does: top-level keys in order, a later group wins a key
 * whole (never merged deeper). A missing group (null) gives nothing. Sorted by key.
 */
export function layerGroups(groups: (GroupRecord | null)[]): EffectiveKey[] {
  const keys = new Map<string, EffectiveKey>();
  for (const group of groups) {
    if (!group) continue;
    const config: ConfigDict = group.config;
    for (const key of Object.keys(config))
      keys.set(key, { key, value: config[key], source: group.name });
  }
  return [...keys.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
