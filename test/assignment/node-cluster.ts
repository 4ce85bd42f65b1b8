import { INestApplicationContext } from '@nestjs/common';
import { ConfigChangeEvent, ConfigGroupService, RedisConfigModuleOptions } from '@rcc/redis-config';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import type Redis from 'ioredis';
import { startNode } from '../helpers/config-node';

export interface ClusterNode {
  id: string;
  app: INestApplicationContext;
  config: ConfigGroupService;
  events: ConfigChangeEvent[];
  /** Set once the node begins to shut down: it no longer counts as live. */
  closing: boolean;
}

/** Many nodes of one namespace, each its own Nest application context, in this process. */
export class NodeCluster {
  readonly nodes: ClusterNode[] = [];

  constructor(private readonly common: RedisConfigModuleOptions) {}

  /** Starts `count` nodes at the same time (they race for places, as pods of a deployment do). */
  async start(count: number, options: RedisConfigModuleOptions = {}): Promise<ClusterNode[]> {
    const first = this.nodes.length;
    const started = await Promise.all(
      Array.from({ length: count }, (_, i) => this.startOne(`node-${first + i}`, options)),
    );
    return started;
  }

  async startOne(id: string, options: RedisConfigModuleOptions = {}): Promise<ClusterNode> {
    const { app, config } = await startNode({ ...this.common, nodeId: id, ...options });
    const node: ClusterNode = { id, app, config, events: [], closing: false };
    config.changes$.subscribe((event) => node.events.push(event));
    this.nodes.push(node);
    return node;
  }

  get live(): ClusterNode[] {
    return this.nodes.filter((node) => !node.closing);
  }

  /** Group of each live node (null when it holds none), by node id. */
  groups(): Map<string, string | null> {
    return new Map(this.live.map((node) => [node.id, node.config.getConfigGroup()?.name ?? null]));
  }

  /** Live nodes per group, over `groups` (a group nobody holds counts 0). */
  counts(groups: readonly string[]): number[] {
    const held = [...this.groups().values()];
    return groups.map((group) => held.filter((name) => name === group).length);
  }

  async stop(node: ClusterNode): Promise<void> {
    node.closing = true;
    await node.app.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.live.map((node) => this.stop(node)));
  }
}

/** The places Redis holds: node id → group (the `{ns}:holders` hash, flag dropped). */
export async function storedPlaces(client: Redis, namespace: string): Promise<Map<string, string>> {
  const entries = await client.hgetall(new ConfigKeys(namespace).holders);
  return new Map(Object.entries(entries).map(([id, entry]) => [id, entry.slice(2)]));
}

/** The fewest moves that bring `loads` to max − min ≤ 1 (the fullest groups keep the extra ones). */
export function minimalMovesToBalance(loads: readonly number[]): number {
  const total = loads.reduce((sum, load) => sum + load, 0);
  const base = Math.floor(total / loads.length);
  const extra = total % loads.length;
  return [...loads]
    .sort((a, b) => b - a)
    .reduce((sum, load, i) => sum + Math.max(0, load - (base + (i < extra ? 1 : 0))), 0);
}

export const spread = (counts: readonly number[]): number =>
  Math.max(...counts) - Math.min(...counts);
