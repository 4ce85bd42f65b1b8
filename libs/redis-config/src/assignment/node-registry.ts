import { Injectable } from '@nestjs/common';
import { RedisConfigConnection } from '../connection/redis-config-connection';
import type { GroupHolding } from '../node/node-state';
import { isPlainObject } from '../store/config-group-record';
import { ConfigKeys } from '../store/config-keys';

/** A live node as the admin shows it (from its lease and its last heartbeat). */
export interface NodeInfo {
  id: string;
  address: string;
  /** The group it asked for (`DEFAULT_CONFIG_GROUP`). */
  requestedGroup: string;
  /** The group it holds and the version it runs; null when it holds none. */
  group: string | null;
  version: number | null;
  holding: GroupHolding;
  heartbeatAt: string;
  leaseExpiresAt: string;
}

/**
 * Reads the live nodes of a namespace: `{ns}:nodes` (sorted set: node id → lease expiry, ms) and
 * `{ns}:node-info` (hash: node id → JSON reported with each heartbeat). Expired leases are left out.
 */
@Injectable()
export class NodeRegistry {
  constructor(
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
  ) {}

  async list(now = Date.now()): Promise<NodeInfo[]> {
    const ids = await this.connection.client.zrangebyscore(this.keys.nodes, now, '+inf');
    if (ids.length === 0) return [];
    const rows = await this.connection.client.hmget(this.keys.nodeInfo, ...ids);
    const nodes: NodeInfo[] = [];
    rows.forEach((raw) => {
      const info = parseNodeInfo(raw);
      if (info) nodes.push(info);
    });
    return nodes.sort((a, b) => a.id.localeCompare(b.id));
  }
}

function parseNodeInfo(raw: string | null): NodeInfo | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return isPlainObject(value) && typeof value.id === 'string'
      ? (value as unknown as NodeInfo)
      : null;
  } catch {
    return null;
  }
}
