import { Injectable } from '@nestjs/common';
import { RedisConfigConnection } from '../connection/redis-config-connection';
import type { GroupHolding } from '../wire/group-holding';
import type { SharedGroupVersion } from '../wire/shared-group-version';
import { isPlainObject } from '../wire/config-group-record';
import { ConfigKeys } from '../wire/config-keys';
import { registerPublisherProvider } from '../utils/publisher-registry';

/** A live node as the admin shows it (from its lease and its last heartbeat). */
export interface NodeInfo {
  /** The node's stable id (`RCC_NODE_ID`). */
  id: string;
  /** The address it reported (its first external IPv4); empty when it reported none. */
  address: string;
  /** The group it asked for (`DEFAULT_CONFIG_GROUP`). */
  requestedGroup: string;
  /** The group it holds; null when it holds none. */
  group: string | null;
  /** The version of that group it runs; null when it holds none. */
  version: number | null;
  /** How it holds its group: asked for (`pinned`), placed by the pool (`assigned`), or `none`. */
  holding: GroupHolding;
  /**
   * The shared groups it follows (`RCC_SHARED_GROUPS`) and the version of each it runs (null: the
   * group does not exist); empty for a node without any, or one that does not report them.
   */
  shared: SharedGroupVersion[];
  /** ISO time of its last heartbeat (Redis's clock). */
  heartbeatAt: string;
  /** ISO time at which its lease runs out unless renewed (Redis's clock). */
  leaseExpiresAt: string;
  /** When it applied the version it runs (the node's clock); null when it does not say. */
  appliedAt: string | null;
}

const HOLDINGS: readonly string[] = ['pinned', 'assigned', 'none'];

/**
 * Reads the live nodes of a namespace: `{ns}:nodes` (sorted set: node id → lease expiry, ms,
 * Redis time) and `{ns}:node-info` (hash: node id → JSON the node reported, written when it
 * changed and stamped `heartbeatAtMs` and `leaseMs` by Redis; the last heartbeat is the expiry
 * minus `leaseMs`). Expired leases are left out, even before a script purges them.
 */
@Injectable()
export class NodeRegistry {
  /** @internal Built by Nest's injector. */
  constructor(
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
  ) {}

  /** `now` in ms; by default Redis's own clock, the one the leases are written with. */
  async list(now?: number): Promise<NodeInfo[]> {
    const client = this.connection.client;
    const at = now ?? (await redisNow(this.connection));
    const flat = await client.zrangebyscore(this.keys.nodes, at, '+inf', 'WITHSCORES');
    if (flat.length === 0) return [];
    const ids: string[] = [];
    const expiries: number[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      ids.push(flat[i]);
      expiries.push(Number(flat[i + 1]));
    }
    const rows = await client.hmget(this.keys.nodeInfo, ...ids);
    const nodes: NodeInfo[] = [];
    rows.forEach((raw, index) => {
      const info = parseNodeInfo(raw, ids[index], expiries[index]);
      if (info) nodes.push(info);
    });
    return nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

async function redisNow(connection: RedisConfigConnection): Promise<number> {
  const [seconds, micros] = await connection.client.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** The stored report as a `NodeInfo`, or null when it is not one of ours. */
function parseNodeInfo(raw: string | null, id: string, leaseExpiresAtMs: number): NodeInfo | null {
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isPlainObject(value) || value.id !== id) return null;
  const text = (field: unknown) => (typeof field === 'string' ? field : null);
  // Our scripts store the lease length with the report, written only when it changes: the last
  // heartbeat is the lease expiry minus the lease. Older nodes' scripts stamp `heartbeatAtMs` at
  // every heartbeat (Redis time); a report written as a NodeInfo is read as is.
  const leaseMs = value.leaseMs;
  const heartbeatAt =
    Number.isSafeInteger(leaseMs) && (leaseMs as number) > 0
      ? new Date(leaseExpiresAtMs - (leaseMs as number)).toISOString()
      : typeof value.heartbeatAtMs === 'number'
        ? new Date(value.heartbeatAtMs).toISOString()
        : text(value.heartbeatAt);
  if (heartbeatAt === null || Number.isNaN(Date.parse(heartbeatAt))) return null;
  const holding = text(value.holding);
  return {
    id,
    address: text(value.address) ?? '',
    requestedGroup: text(value.requestedGroup) ?? '',
    group: text(value.group),
    version: Number.isSafeInteger(value.version) ? (value.version as number) : null,
    holding: holding && HOLDINGS.includes(holding) ? (holding as GroupHolding) : 'none',
    shared: sharedOf(value.shared),
    heartbeatAt,
    leaseExpiresAt: new Date(leaseExpiresAtMs).toISOString(),
    appliedAt: Number.isSafeInteger(value.appliedAtMs)
      ? new Date(value.appliedAtMs as number).toISOString()
      : null,
  };
}

/** The reported shared groups; a report from before shared groups has none. */
function sharedOf(value: unknown): SharedGroupVersion[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) =>
    isPlainObject(entry) && typeof entry.name === 'string'
      ? [
          {
            name: entry.name,
            version: Number.isSafeInteger(entry.version) ? (entry.version as number) : null,
          },
        ]
      : [],
  );
}

// Provided by RedisConfigModule once loaded (see publisher-registry).
registerPublisherProvider(NodeRegistry);
