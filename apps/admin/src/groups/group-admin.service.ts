import { Injectable, NotFoundException } from '@nestjs/common';
import { ConfigDict } from '@rcc/redis-config';
import {
  ConfigGroupNotFoundError,
  ConfigVersionConflictError,
  ConfigGroupRecord,
  ConfigGroupStore,
  HistoryEntry,
  NodeRegistry,
  type ConfigGroupWrite,
} from '@rcc/redis-config/publisher';
import { AdminEnvironments } from '../environments/admin-environments';
import { RolloutService } from '../rollouts/rollout.service';
import { ChangeGate } from '../changes/change-gate';
import type { ChangeAction } from '../changes/change-request';
import { ConfigWrites } from '../webhooks/config-writes';

export interface GroupSummaryWithNodes {
  name: string;
  version: number;
  keyCount: number;
  updatedAt: string | null;
  nodeCount: number;
  /** Live nodes that follow it as a shared group (RCC_SHARED_GROUPS). */
  sharedNodeCount: number;
}

export interface DeletedGroup {
  name: string;
  deleted: true;
  reassignedNodes: string[];
  /** Nodes that followed it as a shared group: its keys leave their effective config. */
  sharedNodes: string[];
  sharedNodeCount: number;
  /** Said when `sharedNodeCount` is not 0; null otherwise. */
  warning: string | null;
}

export interface WriteMeta {
  author: string;
  comment?: string;
}

/**
 * What an operator does with groups, over the library's store, shared by the REST controller and
 * the message patterns so both behave the same. Errors are the library's typed errors.
 */
@Injectable()
export class GroupAdminService {
  constructor(
    private readonly environments: AdminEnvironments,
    private readonly writes: ConfigWrites,
    private readonly rollouts: RolloutService,
    private readonly gate: ChangeGate,
  ) {}

  /** The store of the environment the request asked for (`?env=`). */
  private get store(): ConfigGroupStore {
    return this.environments.current().store;
  }

  private get nodes(): NodeRegistry {
    return this.environments.current().nodes;
  }

  async list(search?: string): Promise<GroupSummaryWithNodes[]> {
    const [groups, nodes] = await Promise.all([this.store.list(search), this.nodes.list()]);
    const holders = new Map<string, number>();
    const followers = new Map<string, number>();
    const count = (counts: Map<string, number>, name: string) =>
      counts.set(name, (counts.get(name) ?? 0) + 1);
    for (const node of nodes) {
      if (node.group !== null) count(holders, node.group);
      for (const shared of node.shared) count(followers, shared.name);
    }
    return groups.map((group) => ({
      ...group,
      nodeCount: holders.get(group.name) ?? 0,
      sharedNodeCount: followers.get(group.name) ?? 0,
    }));
  }

  async get(name: string): Promise<ConfigGroupRecord> {
    const group = await this.store.get(name);
    if (!group) throw new ConfigGroupNotFoundError(name);
    return group;
  }

  /** The group, or null when absent. */
  find(name: string): Promise<ConfigGroupRecord | null> {
    return this.store.get(name);
  }

  async create(name: string, config: ConfigDict, meta: WriteMeta): Promise<ConfigGroupWrite> {
    await this.gate.pass(() => ({
      action: 'publish',
      group: name,
      author: meta.author,
      baseVersion: null,
      before: null,
      after: config,
      payload: { config, comment: meta.comment },
    }));
    return this.written('created', meta, await this.store.create(name, config, meta));
  }

  /** Replaces (or creates) a group; a stale `expectedVersion` fails with a version conflict. */
  async publish(
    name: string,
    config: ConfigDict,
    meta: WriteMeta & { expectedVersion?: number; action?: ChangeAction },
  ): Promise<ConfigGroupWrite> {
    // A running rollout owns the group's next version number (DESIGN §13): 409 until it ends.
    await this.rollouts.assertNoneRunning(name);
    await this.gate.pass(async () => {
      const current = await this.store.get(name);
      // A request made on a version already gone would only ever be stale.
      if (meta.expectedVersion !== undefined && meta.expectedVersion !== current?.version) {
        throw new ConfigVersionConflictError(name, meta.expectedVersion, current?.version ?? null);
      }
      return {
        action: meta.action ?? 'publish',
        group: name,
        author: meta.author,
        baseVersion: current?.version ?? null,
        before: current?.config ?? null,
        after: config,
        payload: { config, comment: meta.comment },
      };
    });
    return this.written('published', meta, await this.store.publish(name, config, meta));
  }

  /**
   * Deletes a group; returns the nodes that held it (the library moves them at once) and those
   * that followed it as a shared group (its keys leave their effective config).
   */
  async delete(name: string, author: string | null = null): Promise<DeletedGroup> {
    await this.rollouts.assertNoneRunning(name);
    await this.gate.pass(async () => {
      const current = await this.store.get(name);
      if (!current) throw new ConfigGroupNotFoundError(name);
      return {
        action: 'delete',
        group: name,
        author: author ?? 'unknown',
        baseVersion: current.version,
        before: current.config,
        after: null,
        payload: {},
      };
    });
    const nodes = await this.nodes.list();
    const holders = nodes.filter((node) => node.group === name);
    const followers = nodes.filter((node) => node.shared.some((shared) => shared.name === name));
    if (!(await this.store.delete(name))) throw new ConfigGroupNotFoundError(name);
    await this.writes.record({ kind: 'deleted', group: name, version: null, author });
    const count = followers.length;
    return {
      name,
      deleted: true,
      reassignedNodes: holders.map((node) => node.id),
      sharedNodes: followers.map((node) => node.id),
      sharedNodeCount: count,
      warning: count
        ? `${count} node${count === 1 ? '' : 's'} used "${name}" as a shared group: ` +
          'its keys left their effective config'
        : null,
    };
  }

  history(name: string): Promise<HistoryEntry[]> {
    return this.store.history(name);
  }

  async rollback(
    name: string,
    version: number,
    meta: WriteMeta & { expectedVersion?: number },
  ): Promise<ConfigGroupWrite> {
    await this.rollouts.assertNoneRunning(name);
    await this.gate.pass(async () => {
      const [current, target] = await Promise.all([
        this.store.get(name),
        this.store.getVersion(name, version),
      ]);
      if (!current) throw new ConfigGroupNotFoundError(name);
      if (meta.expectedVersion !== undefined && meta.expectedVersion !== current.version) {
        throw new ConfigVersionConflictError(name, meta.expectedVersion, current.version);
      }
      if (!target) throw new NotFoundException(`Version ${version} of "${name}" is not kept`);
      return {
        action: 'rollback',
        group: name,
        author: meta.author,
        baseVersion: current.version,
        before: current.config,
        after: target.config,
        payload: { version, comment: meta.comment },
      };
    });
    return this.written('rolled-back', meta, await this.store.rollback(name, version, meta));
  }

  /** Announces a successful write (metrics, webhooks) and passes its result on. */
  private async written(
    kind: 'created' | 'published' | 'rolled-back',
    meta: WriteMeta,
    record: ConfigGroupWrite,
  ): Promise<ConfigGroupWrite> {
    await this.writes.record({
      kind,
      group: record.name,
      version: record.version,
      author: meta.author,
    });
    return record;
  }
}
