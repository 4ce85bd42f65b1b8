import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { GroupAssigner } from '../assignment/group-assigner';
import { RedisConfigConnection } from '../connection/redis-config-connection';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import { ConfigKeys } from '../wire/config-keys';
import { ConfigChangeReason } from './config-change';
import { ApplyInput, ConfigPipeline } from './config-pipeline';
import { NamespaceEvents } from '../connection/namespace-events';
import { GroupVersionEvent, NamespaceEvent } from '../wire/namespace-event';
import type { NodeCheck } from '../wire/node-check';
import { NodeState } from './node-state';
import { PeriodicCheck } from './periodic-check';
import { SharedGroupFollower } from './shared-group-follower';
import { SnapshotKeeper } from './snapshot-keeper';
import { carriedRecord, StoredRecord, storedRecord } from './stored-record';

/** What made the node look again at its group (`place` / `rebalance`: asked by the assigner). */
type Trigger =
  | 'initial'
  | 'content'
  | 'reconnected'
  | 'updated'
  | 'rollback'
  | 'deleted'
  | 'refresh'
  | 'place'
  | 'rebalance';

/**
 * Keeps a node's group live: loads it before bootstrap ends, follows pushed change events,
 * checks a digest with every periodic check (`PeriodicCheck`, at least every `refreshMs`: the
 * safety net for writes that sent no event), catches up after a reconnect, and keeps the last
 * good group when Redis or the data fail. It only reads and decides: what it finds goes to the
 * node's `ConfigPipeline` as inputs. Started and stopped by `NodeRuntime`.
 */
@Injectable()
export class GroupFollower {
  private readonly logger = new Logger('RedisConfig');
  private stopped = false;
  private subscriptions: Subscription | null = null;

  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
    private readonly state: NodeState,
    private readonly pipeline: ConfigPipeline,
    private readonly assigner: GroupAssigner,
    private readonly events: NamespaceEvents,
    private readonly shared: SharedGroupFollower,
    private readonly snapshot: SnapshotKeeper,
    private readonly periodic: PeriodicCheck,
  ) {}

  /** Bootstrap waits here until the group is loaded, or the start-up timeout has passed. */
  async start(): Promise<void> {
    const restored = await this.snapshot.restore();
    if (restored) await this.pipeline.run((apply) => apply({ kind: 'snapshot', ...restored }));
    const fromSnapshot = restored !== null;
    this.subscriptions = this.events.events$.subscribe((event) => this.onEvent(event));
    this.subscriptions.add(this.assigner.requests().subscribe((mode) => void this.reload(mode)));
    this.events.listen();
    const ready = await this.connection.waitUntilReady(this.options.startupTimeoutMs, fromSnapshot);
    if (ready) {
      // Shared groups first: the own group's arrival validates the whole effective config.
      await this.shared.loadAll();
      await this.reload('initial');
    } else if (this.options.failFast) {
      await this.connection.failStartup();
    } else {
      this.logger.warn(
        `Redis not reachable: starting on ${fromSnapshot ? 'the snapshot' : 'defaults'}; ` +
          'the group is loaded as soon as Redis answers',
      );
    }
    // From now on, every (re)connection catches up with what was missed: of the command client,
    // and of the subscriber (its subscriptions restored, a change sent meanwhile was not heard).
    const catchUp = () => void this.shared.loadAll().then(() => this.reload('reconnected'));
    this.connection.client.on('ready', catchUp);
    this.subscriptions.add(this.events.resubscribed$.subscribe(catchUp));
  }

  /** Acts on the periodic checks from now on (after bootstrap). */
  followChecks(): void {
    this.subscriptions?.add(this.periodic.checks$.subscribe((check) => this.onCheck(check)));
  }

  /** Hears nothing more (the pipeline's last turn is awaited by the caller). */
  stop(): void {
    this.stopped = true;
    this.subscriptions?.unsubscribe();
  }

  /** Gives the node's place back (at shutdown, after the last turn). */
  async release(): Promise<void> {
    await this.assigner.release().catch((error: Error) => this.logger.warn(error.message));
  }

  /** Looks at Redis now and applies whatever changed. */
  async refresh(): Promise<void> {
    await this.shared.loadAll();
    await this.reload('refresh');
  }

  private onEvent(event: NamespaceEvent): void {
    // Places (`released`, `rebalance`) are the assigner's business (`requests()`); so is a new
    // group, unless it is the one this node asks for: it is pinned to it from now on.
    if (event.type === 'released' || event.type === 'rebalance') return;
    if (event.type === 'created') {
      if (event.group === this.options.group && this.state.holding !== 'pinned')
        void this.reload('updated');
      return;
    }
    if (this.shared.follows(event.group)) {
      this.shared.onEvent(event);
      return;
    }
    const held = this.state.current;
    if (held && event.group === held.name) {
      if (event.type === 'deleted') void this.reload('deleted');
      else if (event.version !== held.version)
        void this.reload(event.type === 'rollback' ? 'rollback' : 'content', event);
    } else if (event.type !== 'deleted' && event.group === this.options.group) {
      // The group this node asks for (re)appeared: it is pinned to it from now on.
      void this.reload('updated');
    }
  }

  /** The safety net: one small reply, whatever the group size (the heartbeat's, usually). */
  private onCheck(check: NodeCheck): void {
    if (this.stopped) return;
    const held = this.state.current?.name ?? '';
    // Asked about another group (the node moved meanwhile): the next check asks about this one.
    if (check.request.held !== held) return;
    this.assigner.groupCountSeen(check.groupCount);
    this.shared.check(check.shared);
    const { digest } = check;
    const { applied, refused } = this.pipeline.ownDigests;
    if (held && digest === null) void this.reload('deleted');
    else if (held && digest !== applied && digest !== refused) void this.reload('content');
    else if (!held || (check.requestedExists && this.state.holding !== 'pinned'))
      void this.reload('refresh');
  }

  /**
   * One turn of the node's pipeline per reload: events, checks, the shared groups and rollouts
   * never apply out of order. `pushed`: the event that asked, whose carried record may stand for
   * reading the group back.
   */
  private async reload(trigger: Trigger, pushed?: GroupVersionEvent): Promise<void> {
    try {
      await this.pipeline.run(async (apply) => {
        await this.load(apply, trigger, pushed);
        apply({ kind: 'decided' });
      });
    } catch (error) {
      this.logger.warn(
        `Config reload (${trigger}) failed, keeping the last good group: ${(error as Error).message}`,
      );
    }
  }

  private async load(
    apply: ApplyInput,
    trigger: Trigger,
    pushed?: GroupVersionEvent,
  ): Promise<void> {
    if (this.stopped) return;
    const held = this.state.current?.name ?? null;
    const keepsPlace = this.keepsPlace(trigger, held);
    // A pinned node's group is most likely the one it asks for: heard before it is decided, the
    // record read with the decision is then current (no change can fall in between).
    if (trigger === 'initial') await this.events.follow('own', [this.options.group]);
    const decision = keepsPlace
      ? { group: held, pinned: this.state.holding === 'pinned', full: false }
      : await this.assigner.decide({
          nodeId: this.options.nodeId,
          requested: this.options.group,
          held,
          mode: trigger === 'rebalance' ? 'rebalance' : 'place',
        });
    if (decision.group === null) {
      await this.events.follow('own', []);
      if (decision.full) this.unassign(apply, held);
      else {
        apply({ kind: 'place', holding: 'none' });
        if (held && trigger === 'deleted')
          this.logger.warn(
            `Group "${held}" was deleted and no other group exists: keeping its last values`,
          );
      }
      return;
    }
    const { group, pinned } = decision;
    // Hears the group's channel before reading it: a record read before the subscription (with
    // the decision) could miss a change published in between, so it is read again after.
    const subscribedNow = !keepsPlace && (await this.events.follow('own', [group]));
    const decided = subscribedNow ? undefined : decision.record;
    const stored = await this.recordOf(group, decided, keepsPlace ? pushed : undefined);
    if (stored === null) return; // deleted in between: its event follows
    apply({
      kind: 'own',
      group,
      record: stored,
      reason: reasonFor(trigger, held, group, pinned),
      holding: pinned ? 'pinned' : 'assigned',
    });
  }

  /**
   * The stored record of `group`: the one its event carried (small groups, see
   * `recordStandingIn`), else the one the assigner read with its decision, else one `HGET`.
   */
  private async recordOf(
    group: string,
    decided: string | null | undefined,
    pushed: GroupVersionEvent | undefined,
  ): Promise<StoredRecord | null> {
    const carried =
      this.options.eventInlineMaxBytes > 0
        ? carriedRecord(pushed, this.state.current, group)
        : null;
    if (carried) return carried;
    if (decided !== undefined) return storedRecord(decided, group);
    return storedRecord(await this.connection.client.hget(this.keys.groups, group), group);
  }

  /**
   * A new version of the group the node holds never moves it: no placement script, and at most
   * one HGET (none when the event carries the record). A publish costs O(1) Redis work per node.
   */
  private keepsPlace(trigger: Trigger, held: string | null): held is string {
    return (
      (trigger === 'content' || trigger === 'rollback') &&
      held !== null &&
      this.state.holding !== 'none'
    );
  }

  /** Every group this node may hold is at capacity: it holds none (never shares a full group). */
  private unassign(apply: ApplyInput, held: string | null): void {
    if (!this.state.waiting) {
      this.logger.warn(
        `Every group of pool "${this.options.pool}" is at RCC_MAX_NODES_PER_GROUP=` +
          `${this.options.maxNodesPerGroup}: this node holds none` +
          `${held ? ` (it held "${held}")` : ''} and takes the first place that frees up`,
      );
    }
    apply({ kind: 'unassigned' });
  }
}

function reasonFor(
  trigger: Trigger,
  held: string | null,
  name: string,
  pinned: boolean,
): ConfigChangeReason {
  if (held === name) return trigger === 'rollback' ? 'rollback' : 'updated';
  if (trigger === 'deleted') return 'deleted';
  if (held === null || trigger === 'initial') return pinned ? 'loaded' : 'assigned';
  return 'reassigned';
}
