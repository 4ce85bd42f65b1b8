import type { ConfigKeys } from './config-keys';

/** What a node asks with its periodic call: the group it holds, the one it asks for, its shared ones. */
export interface NodeCheckRequest {
  nodeId: string;
  /** The group it holds now ('' = none). */
  held: string;
  /** The group it asks for (`DEFAULT_CONFIG_GROUP`). */
  requested: string;
  /** The shared groups it follows (`RCC_SHARED_GROUPS`, bounded), in option order. */
  shared: readonly string[];
}

/**
 * What the periodic call found, O(1) in size whatever the size of a group: digests, not records,
 * and the small `state` field of the held group's rollout (DESIGN §13).
 */
export interface NodeCheck {
  /** The request it answers (the node may have moved since: a check of another group is stale). */
  request: NodeCheckRequest;
  /**
   * When it was sent (`performance.now()`). Commands of one connection run in the order sent:
   * a reader that read the same keys after this (by its own clock) has data at least as new.
   */
  askedAt: number;
  /** SHA-1 of the stored JSON of the held group; null when it is gone (or none is held). */
  digest: string | null;
  /** Whether the requested group exists. */
  requestedExists: boolean;
  /** How many groups exist (groups that came or went without an event change it). */
  groupCount: number;
  /** SHA-1 of each shared group's stored JSON (null: absent), in request order. */
  shared: (string | null)[];
  /** The held group's rollout `state` field as stored; null when it has none. */
  rolloutState: string | null;
  /** True when that rollout is at `canary` and lists this node among its canaries. */
  chosenCanary: boolean;
  /** Per shared group, its rollout's `state` while it verifies (null otherwise), in request order. */
  sharedVerifying: (string | null)[];
}

/** The Redis reply of `NODE_CHECK_LUA`'s `node_check`. */
export type NodeCheckReply = [
  string | null,
  number,
  number,
  (string | null)[]?,
  (string | null)?,
  number?,
  (string | null)[]?,
];

/**
 * How old a stored digest may be before a node-tick hashes the record again (a node that keeps no
 * lease; a heartbeat passes its own refresh). Bounds how late a plain HSET is seen by such a node.
 */
export const NODE_TICK_VERIFY_MS = 1000;

/**
 * The keys of a check, in `node_check`'s order: the digests, the held group's rollout, then each
 * shared one's.
 */
export function nodeCheckKeys(keys: ConfigKeys, request: NodeCheckRequest): string[] {
  return [
    keys.digests,
    keys.rollout(request.held),
    ...request.shared.map((group) => keys.rollout(group)),
  ];
}

/**
 * The arguments of a check, in `node_check`'s order (after the node id): how old a stored digest
 * may be before it is checked against its record (the node's refresh), then the groups.
 */
export function nodeCheckArgs(
  request: NodeCheckRequest,
  verifyEveryMs: number = NODE_TICK_VERIFY_MS,
): (string | number)[] {
  return [verifyEveryMs, request.held, request.requested, ...request.shared];
}

export function parseNodeCheck(
  request: NodeCheckRequest,
  askedAt: number,
  reply: NodeCheckReply,
): NodeCheck {
  const [digest, requestedExists, groupCount, shared, rolloutState, chosen, sharedVerifying] =
    reply;
  return {
    request,
    askedAt,
    digest: digest ?? null,
    requestedExists: requestedExists === 1,
    groupCount,
    shared: request.shared.map((_, i) => shared?.[i] ?? null),
    rolloutState: rolloutState ?? null,
    chosenCanary: chosen === 1,
    sharedVerifying: request.shared.map((_, i) => sharedVerifying?.[i] ?? null),
  };
}
