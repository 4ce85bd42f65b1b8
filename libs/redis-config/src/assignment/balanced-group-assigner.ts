import { Inject, Injectable, Logger } from '@nestjs/common';
import { Observable, Subject, Subscription } from 'rxjs';
import { RedisConfigConnection } from '../connection/redis-config-connection';
import { NamespaceEvents } from '../connection/namespace-events';
import type { NamespaceEvent } from '../wire/namespace-event';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import { nodeAddress, type ResolvedRedisConfigOptions } from '../options/redis-config.options';
import { ConfigKeys } from '../wire/config-keys';
import type { NodeCheck } from '../wire/node-check';
import { globsMatcher, parseGlobs } from '../utils/glob';
import { reactionTo } from './assignment-event';
import { AssignmentScripts, HeartbeatResult, NodeReport } from './assignment-scripts';
import { AssignmentContext, GroupAssigner, GroupDecision, HeldPlace } from './group-assigner';
import { encodeHolder } from './holder-entry';
import { LeaseKeeper } from './lease-keeper';
import type { PlacementMode, PoolSpec } from './placement';
import { rebalancePolicy, RebalanceScheduler } from './rebalance-scheduler';

/** Longest delay of the heartbeat that reports a change of group or version. */
const REPORT_SPREAD_MS = 250;

/**
 * Balanced, live, atomic placement (DESIGN §6): every decision is one Lua script over the leases
 * and places of all live nodes (`ASSIGN_LUA`); a heartbeat keeps the lease; `released` events (to
 * waiting nodes), `rebalance` asks (to one over-full group) and new groups wake the nodes that may
 * take a place or must rebalance.
 */
@Injectable()
export class BalancedGroupAssigner extends GroupAssigner {
  private readonly logger = new Logger('RedisConfig');
  private readonly scripts: AssignmentScripts;
  private readonly keeper: LeaseKeeper;
  private readonly scheduler: RebalanceScheduler;
  private readonly inPool: (group: string) => boolean;
  /** The pool as the assign script matches it, in Redis: no list of groups is read or sent. */
  private readonly pool: PoolSpec;
  private readonly asks = new Subject<PlacementMode>();
  private readonly checked = new Subject<NodeCheck>();
  private readonly address = nodeAddress();
  /** How many groups (pool or not) existed at the last decision. */
  private knownGroupCount: number | null = null;
  private subscription: Subscription | null = null;
  /** The group and version in force, and since when (node clock): reported to the admin. */
  private applied: { name: string; version: number; atMs: number } | null = null;

  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
    private readonly state: HeldPlace,
    private readonly events: NamespaceEvents,
  ) {
    super();
    // A node's shared groups are never its own group: left out of its pool, nothing else changes.
    this.pool = { globs: parseGlobs(options.pool), excluded: options.sharedGroups };
    const matches = globsMatcher(this.pool.globs);
    const shared = new Set(options.sharedGroups);
    this.inPool = (group) => matches(group) && !shared.has(group);
    this.scripts = new AssignmentScripts(
      () => connection.client,
      keys,
      options.leaseMs,
      options.refreshMs,
    );
    this.keeper = new LeaseKeeper(this.scripts, options.nodeId, {
      leaseMs: options.leaseMs,
      // One call per period; the refresh safety net rides on the beats due for it (every
      // refreshMs, to within half a period), the others only renew the lease.
      periodMs: Math.min(options.leaseMs / 3, options.refreshMs),
      checkEveryMs: options.refreshMs,
      report: () => this.nodeReport(),
      check: () => ({
        nodeId: options.nodeId,
        held: this.state.current?.name ?? '',
        requested: options.group,
        shared: options.sharedGroups,
      }),
      onResult: (result) => {
        this.checkPlace(result);
        if (result.check) this.checked.next(result.check);
      },
      onError: (error) => this.logger.debug(`Heartbeat failed: ${error.message}`),
      waiting: () => this.state.holding === 'none',
    });
    this.scheduler = new RebalanceScheduler(rebalancePolicy(options.leaseMs), () =>
      this.asks.next('rebalance'),
    );
  }

  async decide({ nodeId, requested, mode = 'place' }: AssignmentContext): Promise<GroupDecision> {
    const placement = await this.scripts.assign(
      { nodeId, requested, mode, capacity: this.options.maxNodesPerGroup, pool: this.pool },
      this.report(),
    );
    this.knownGroupCount = placement.groupCount;
    if (placement.outcome === 'moved') this.scheduler.moved();
    this.start();
    // Waiting: it holds none (every group full), or its requested group exists but was full.
    this.hearPlaces(
      placement.group === null ? placement.full : !placement.pinned && placement.requestedExists,
    );
    const { group, pinned, full, record } = placement;
    return { group, pinned, full, record };
  }

  /**
   * A node waiting for a place (every group full, or its requested group full) hears the freed
   * places on `{ns}:places`; no other node does. A place freed before that subscription was
   * missed: once subscribed, the node asks once more.
   */
  private hearPlaces(waiting: boolean): void {
    this.events.awaitPlaces(waiting).then(
      (subscribedNow) => subscribedNow && this.asks.next('place'),
      (error: Error) => this.logger.debug(`Places channel: ${error.message}`),
    );
  }

  override requests(): Observable<PlacementMode> {
    return this.asks.asObservable();
  }

  /** Each heartbeat's periodic check (see `HEARTBEAT_LUA`). */
  override checks(): Observable<NodeCheck> {
    return this.checked.asObservable();
  }

  /** Beats from the first decision until the release, the check about every `refreshMs`. */
  override get checking(): boolean {
    return this.keeper.started;
  }

  override async release(): Promise<void> {
    this.scheduler.stop();
    if (!this.keeper.started) return;
    this.subscription?.unsubscribe();
    await this.keeper.stop();
    await this.scripts.release(this.options.nodeId);
  }

  /** After the first decision: the node has a lease to keep and places to watch. */
  private start(): void {
    if (this.keeper.started) return;
    this.keeper.start();
    this.subscription = this.events.events$.subscribe((event) => this.react(event));
    // The report of the new group/version is for the admin's view: spread over a short window so
    // that the nodes of a published group do not all run a heartbeat script in the same millisecond.
    this.subscription.add(
      this.state.changes.subscribe(() => {
        this.noteApplied();
        this.keeper.beatSoon(Math.min(REPORT_SPREAD_MS, this.options.leaseMs / 6));
      }),
    );
  }

  /**
   * Groups came or went since the last decision without telling anyone: a node waiting for a
   * place tries at once; a placed node checks the balance (rate-limited like any rebalance).
   */
  override groupCountSeen(count: number): void {
    if (this.knownGroupCount === null || count === this.knownGroupCount) return;
    this.knownGroupCount = count;
    if (this.state.holding === 'none') this.asks.next('place');
    else this.scheduler.trigger();
  }

  private react(event: NamespaceEvent): void {
    const reaction = reactionTo(event, {
      holding: this.state.holding,
      group: this.state.current?.name ?? null,
      requested: this.options.group,
      inPool: this.inPool,
      capacity: this.options.maxNodesPerGroup,
    });
    if (reaction === 'place') this.asks.next('place');
    else if (reaction === 'rebalance') this.scheduler.trigger();
  }

  /** Redis's view of the node's place differs from the node's (its lease ran out, say): decide. */
  private checkPlace({ entry }: HeartbeatResult): void {
    const group = this.state.current?.name;
    const holding = this.state.holding;
    const believed =
      group && holding !== 'none' ? encodeHolder({ group, pinned: holding === 'pinned' }) : null;
    if (entry === believed) return;
    // A lost place is worth a warning (the node was silent longer than its lease); any other
    // difference is a decision being applied right now, or one the node refused.
    const message = `Place in Redis: ${entry ?? 'none'}, held: ${believed ?? 'none'}; deciding again`;
    if (entry === null) this.logger.warn(`Lease lost. ${message}`);
    else this.logger.debug(message);
    this.asks.next('place');
  }

  /** Stamps the time a new group or version came into force (what the admin shows as applied). */
  private noteApplied(): void {
    const current = this.state.current;
    if (current?.name !== this.applied?.name || current?.version !== this.applied?.version) {
      this.applied = current
        ? { name: current.name, version: current.version, atMs: Date.now() }
        : null;
    }
  }

  /** The report a decision writes (the assign script): the next heartbeat sends its own again. */
  private report(): NodeReport {
    this.keeper.reportWritten();
    return this.nodeReport();
  }

  private nodeReport(): NodeReport {
    const current = this.state.current;
    const applied =
      this.applied?.name === current?.name && this.applied?.version === current?.version;
    return {
      appliedAtMs: applied ? (this.applied?.atMs ?? null) : null,
      id: this.options.nodeId,
      address: this.address,
      requestedGroup: this.options.group,
      group: current?.name ?? null,
      version: current?.version ?? null,
      holding: this.state.holding,
      shared: this.state.shared.map(({ name, version }) => ({ name, version })),
    };
  }
}
