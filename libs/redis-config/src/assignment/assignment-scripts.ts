import type { RedisClient, RedisScripts } from '../wire/redis-scripts';
import type { ConfigKeys } from '../wire/config-keys';
import {
  NodeCheck,
  nodeCheckArgs,
  nodeCheckKeys,
  NodeCheckRequest,
  NODE_TICK_VERIFY_MS,
  parseNodeCheck,
} from '../wire/node-check';
import { assignmentKeys } from './assignment-keys';
import type { NodeInfo } from './node-registry';
import type { Placement, PlacementOutcome, PlacementRequest } from './placement';

/**
 * What a node reports with each heartbeat; Redis adds the times (its own clock). `shared` is left
 * out by nodes from before shared groups.
 */
export type NodeReport = Omit<NodeInfo, 'heartbeatAt' | 'leaseExpiresAt' | 'appliedAt' | 'shared'> &
  Partial<Pick<NodeInfo, 'shared'>> & {
    /** When the node applied the version it runs (its own clock, ms); null before it has one. */
    appliedAtMs?: number | null;
  };

export interface HeartbeatResult {
  /** The holders entry Redis has for the node (`p:<group>` / `a:<group>`), or null. */
  entry: string | null;
  /** Redis time of the heartbeat, ms. */
  nowMs: number;
  /** When the first lease of another node runs out (Redis time, ms), or null. */
  nextExpiryMs: number | null;
  /** False when Redis has no report of the node (purged, removed): the next beat sends it. */
  infoStored: boolean;
  /** The node's periodic check, run in the same call; null on a beat that did not ask for it. */
  check: NodeCheck | null;
}

/** A decision of the assign script, with the stored record of the group decided. */
export interface AssignedPlace extends Omit<Placement, 'released'> {
  record: string | null;
  /** How many groups exist (pool or not), read in the same step. */
  groupCount: number;
  /** Whether the node's requested group exists (a placed node then waits for a place there). */
  requestedExists: boolean;
}

type ScriptClient = RedisClient & RedisScripts;

const OUTCOMES: readonly PlacementOutcome[] = ['kept', 'placed', 'moved', 'none'];

/**
 * Typed calls of the assignment's Lua scripts for one namespace. A plain class (not a provider)
 * so that the benchmark and the tests drive exactly the code the nodes run.
 */
export class AssignmentScripts {
  private readonly keys: string[];

  /**
   * `client`, or a function returning it at each call (a node's shared client exists only once
   * every provider is built). `verifyEveryMs`: how old a stored digest may be before a check
   * hashes the record again (the node's refresh: a plain HSET is seen within about that).
   */
  constructor(
    private readonly clientSource: ScriptClient | (() => ScriptClient),
    private readonly names: ConfigKeys,
    private readonly leaseMs: number,
    private readonly verifyEveryMs: number = NODE_TICK_VERIFY_MS,
  ) {
    this.keys = assignmentKeys(names);
  }

  /** ARGV 1–4 of every assignment script (lease-common.lua.ts). */
  private common(nodeId: string): (string | number)[] {
    return [nodeId, this.leaseMs, this.names.groupChannels, this.names.places];
  }

  private get client(): ScriptClient {
    return typeof this.clientSource === 'function' ? this.clientSource() : this.clientSource;
  }

  /**
   * One atomic decision (see `decidePlacement`); renews the lease and the report as well, and
   * returns the stored record of the group decided (null when none), read in the same step.
   */
  async assign(request: PlacementRequest, report: NodeReport): Promise<AssignedPlace> {
    const { globs, excluded = [] } = request.pool;
    const [group, pinned, full, outcome, record, groupCount, requestedExists] =
      await this.client.rccAssign(
        ...this.keys,
        ...this.common(request.nodeId),
        JSON.stringify(report),
        request.mode,
        request.requested,
        request.capacity,
        globs.length,
        ...globs,
        excluded.length,
        ...excluded,
      );
    if (!OUTCOMES.includes(outcome as PlacementOutcome)) {
      throw new Error(`Unexpected assignment outcome "${outcome}"`);
    }
    return {
      group,
      pinned: pinned === 1,
      full: full === 1,
      outcome: outcome as PlacementOutcome,
      record: record ?? null,
      groupCount,
      requestedExists: requestedExists === 1,
    };
  }

  /**
   * The node's one periodic call: renews its lease, stores its report when one is given (null:
   * unchanged since the last one stored), and runs its periodic check when one is asked (`check`;
   * null: a beat not due for it, which only renews the lease).
   */
  async heartbeat(
    nodeId: string,
    report: NodeReport | null,
    check: NodeCheckRequest | null = null,
  ): Promise<HeartbeatResult> {
    const checkKeys = check ? nodeCheckKeys(this.names, check) : [];
    const askedAt = performance.now();
    const [entry, nowMs, nextExpiryMs, infoStored, checked] = await this.client.rccHeartbeat(
      this.keys.length + checkKeys.length,
      ...this.keys,
      ...checkKeys,
      ...this.common(nodeId),
      report ? JSON.stringify(report) : '',
      check ? '1' : '0',
      ...(check ? nodeCheckArgs(check, this.verifyEveryMs) : []),
    );
    return {
      entry,
      nowMs,
      nextExpiryMs,
      infoStored: infoStored === 1,
      check: check && checked ? parseNodeCheck(check, askedAt, checked) : null,
    };
  }

  /** Leaves at once; true when the node held a place. */
  async release(nodeId: string): Promise<boolean> {
    return (await this.client.rccRelease(...this.keys, ...this.common(nodeId))) === 1;
  }
}
