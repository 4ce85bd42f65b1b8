import { Inject, Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { HeldPlace } from '../assignment/group-assigner';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import type { ConfigDict } from '../wire/config-group-record';
import type { GroupHolding } from '../wire/group-holding';
import type { SharedGroupVersion } from '../wire/shared-group-version';
import { ConfigChangeEvent, ConfigChangeReason, ConfigGroup, ConfigSource } from './config-change';
import { changedKeys } from '../wire/changed-keys';
import { EffectiveConfig, layerConfigs } from './effective-config';

/** The writes of a `NodeState`, handed out once: to the node's `ConfigPipeline`, its one writer. */
export interface NodeStateWriter {
  /** Switches the own group (see `NodeState`'s `apply`). */
  apply(next: ConfigGroup | null, reason: ConfigChangeReason, holding: GroupHolding): void;
  /** Switches one shared group (null: it is gone). */
  applyShared(name: string, next: ConfigGroup | null, reason: ConfigChangeReason): void;
  /** The place changed, not the content. */
  hold(holding: GroupHolding): void;
  /** Every source at once, from the snapshot. */
  restore(own: ConfigGroup | null, shared: readonly ConfigGroup[]): void;
  /** A version refused: says so, changes nothing. */
  reject(name: string, version: number, error: string, shared?: boolean): void;
}

/**
 * The group a node holds, the shared groups it follows, the effective config they make, and the
 * stream of their changes: the one place that state lives. Read-only from outside; its writes go
 * through its one {@link NodeStateWriter}, which `ConfigPipeline` takes.
 */
@Injectable()
export class NodeState implements HeldPlace {
  private own: ConfigGroup | null = null;
  private held: GroupHolding = 'none';
  private full = false;
  readonly changes = new Subject<ConfigChangeEvent>();
  /** A change listener (`onChange`, `@OnConfigChange`) threw on this event: for rollouts. */
  readonly listenerFailures = new Subject<{ event: ConfigChangeEvent; error: unknown }>();
  /** The shared groups in precedence order (lowest first); null: it does not exist. */
  private readonly sharedLayer: (ConfigGroup | null)[];
  private layered: EffectiveConfig;
  /** Run on every change before any listener hears of it (the `@ConfigValue` properties). */
  private readonly updaters: ((event: ConfigChangeEvent) => void)[] = [];
  private writerTaken = false;

  /** @internal Built by Nest's injector. */
  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
  ) {
    this.sharedLayer = options.sharedGroups.map(() => null);
    this.layered = layerConfigs([]);
  }

  /** The node's own group; null when it holds none. */
  get current(): ConfigGroup | null {
    return this.own;
  }

  /** `pinned`, `assigned`, or `none` (no place: its group is gone, or every group is full). */
  get holding(): GroupHolding {
    return this.held;
  }

  /** True while the node holds no group because every group it may hold is full. */
  get waiting(): boolean {
    return this.full;
  }

  /** The shared groups and the own group's config layered: what every read serves. */
  get effective(): Readonly<ConfigDict> {
    return this.layered.config;
  }

  /** The group a key of the effective config comes from. */
  sourceOf(key: string): string | undefined {
    return this.layered.sourceOf.get(key);
  }

  /** The shared groups followed and the version each runs, in precedence order. */
  get shared(): SharedGroupVersion[] {
    return this.options.sharedGroups.map((name, i) => ({
      name,
      version: this.sharedLayer[i]?.version ?? null,
    }));
  }

  /** The shared groups that exist, in precedence order. */
  sharedGroups(): ConfigGroup[] {
    return this.sharedLayer.filter((group): group is ConfigGroup => group !== null);
  }

  /** Every source, lowest precedence first: the shared groups, then the own group (if any). */
  sources(): ConfigSource[] {
    const sources: ConfigSource[] = this.shared.map((entry) => ({ ...entry, shared: true }));
    if (this.current) sources.push(ownSource(this.current));
    return sources;
  }

  /** The shared group at `name` (null: missing, undefined: not one this node follows). */
  sharedGroup(name: string): ConfigGroup | null | undefined {
    const index = this.options.sharedGroups.indexOf(name);
    return index < 0 ? undefined : this.sharedLayer[index];
  }

  /**
   * The effective config that `own`, or the shared group `shared` at `group` (null: gone), would
   * make in place of the current one: what `validate` checks before it is applied.
   */
  candidate(
    change: { own: ConfigGroup | null } | { shared: string; group: ConfigGroup | null },
  ): Readonly<ConfigDict> {
    if ('own' in change) return layerConfigs([...this.sharedLayer, change.own]).config;
    const layer = this.sharedLayer.map((group, i) =>
      this.options.sharedGroups[i] === change.shared ? change.group : group,
    );
    return layerConfigs([...layer, this.current]).config;
  }

  beforeChange(updater: (event: ConfigChangeEvent) => void): void {
    this.updaters.push(updater);
  }

  /** The state's writer, given once: a second writer of the node's state is a bug. */
  writer(): NodeStateWriter {
    if (this.writerTaken) throw new Error('NodeState has one writer, and it was already taken');
    this.writerTaken = true;
    return {
      apply: (next, reason, holding) => this.apply(next, reason, holding),
      applyShared: (name, next, reason) => this.applyShared(name, next, reason),
      hold: (holding) => {
        this.held = holding;
      },
      restore: (own, shared) => this.restore(own, shared),
      reject: (name, version, error, shared) => this.reject(name, version, error, shared),
    };
  }

  /**
   * Switches the own group to `next` and tells listeners what changed. Nothing is emitted for no
   * change, except the first `unassigned`: a node that starts with every group full says so once.
   */
  private apply(next: ConfigGroup | null, reason: ConfigChangeReason, holding: GroupHolding): void {
    const previous = this.own;
    const startsWaiting = reason === 'unassigned' && !this.full;
    this.own = next;
    this.held = next ? holding : 'none';
    this.full = reason === 'unassigned';
    const sameGroup = previous?.name === next?.name && previous?.version === next?.version;
    const source = next
      ? ownSource(next)
      : previous
        ? { ...ownSource(previous), version: null }
        : null;
    this.relayer(previous, reason, source, !sameGroup || startsWaiting);
  }

  /** Switches the shared group `name` to `next` (null: it is gone). */
  private applyShared(name: string, next: ConfigGroup | null, reason: ConfigChangeReason): void {
    const index = this.options.sharedGroups.indexOf(name);
    if (index < 0) return;
    const before = this.sharedLayer[index];
    this.sharedLayer[index] = next;
    const source = { name, version: next?.version ?? null, shared: true };
    this.relayer(this.current, reason, source, before?.version !== next?.version);
  }

  /**
   * Starts on a snapshot: every source at once, one event.
   */
  private restore(own: ConfigGroup | null, shared: readonly ConfigGroup[]): void {
    this.options.sharedGroups.forEach((name, i) => {
      this.sharedLayer[i] = shared.find((group) => group.name === name) ?? null;
    });
    this.own = own;
    this.held = 'none';
    this.relayer(null, 'snapshot', own ? ownSource(own) : null, true);
  }

  /** A new version could not be applied: the node keeps what it has and says why. */
  private reject(name: string, version: number, error: string, shared = false): void {
    this.changes.next({
      previous: this.current,
      current: this.current,
      reason: 'rejected',
      changedKeys: [],
      source: { name, version, shared },
      rejected: { name, version, error },
    });
  }

  /** Layers the sources again (once per change) and emits when something changed. */
  private relayer(
    previous: ConfigGroup | null,
    reason: ConfigChangeReason,
    source: ConfigSource | null,
    versionChanged: boolean,
  ): void {
    const before = this.layered.config;
    this.layered = layerConfigs([...this.sharedLayer, this.current]);
    const keys = changedKeys(before, this.layered.config);
    if (!versionChanged && keys.length === 0) return;
    const event: ConfigChangeEvent = {
      previous,
      current: this.current,
      reason,
      changedKeys: keys,
      source,
    };
    for (const update of this.updaters) update(event);
    this.changes.next(event);
  }
}

function ownSource({ name, version }: ConfigGroup): ConfigSource {
  return { name, version, shared: false };
}
