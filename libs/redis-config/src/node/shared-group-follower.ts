import { Inject, Injectable, Logger } from '@nestjs/common';
import { NamespaceEvents } from '../connection/namespace-events';
import { RedisConfigConnection } from '../connection/redis-config-connection';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import { ConfigKeys } from '../wire/config-keys';
import type { GroupVersionEvent, NamespaceEvent } from '../wire/namespace-event';
import { ConfigChangeReason, frozenGroup } from './config-change';
import { toValidateFunction } from './config-validator';
import { NodeState } from './node-state';
import { SnapshotKeeper } from './snapshot-keeper';
import { openSecrets } from './secret-opening';
import { carriedRecord, StoredRecord, storedRecord } from './stored-record';

/** Stands for "known to be missing" where a digest is kept. */
const MISSING = '';

/**
 * Keeps a node's shared groups (`RCC_SHARED_GROUPS`) live, driven by the group follower: loads
 * them all at start and after a reconnect (one HMGET), follows their pushed events, and reads
 * again the ones whose digest the periodic check found changed. A group that does not exist gives
 * nothing until it is published. Its own queue: a large shared group never delays the own group.
 */
@Injectable()
export class SharedGroupFollower {
  private readonly logger = new Logger('RedisConfig');
  private readonly validate: ReturnType<typeof toValidateFunction>;
  private readonly names: readonly string[];
  /** Per group: SHA-1 of the stored JSON last applied (MISSING: applied as absent), last refused. */
  private readonly applied = new Map<string, string>();
  private readonly rejected = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Set once the node has first decided its own group: from then on every change is validated. */
  private decided = false;

  /** @internal Built by Nest's injector. */
  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
    private readonly state: NodeState,
    private readonly snapshot: SnapshotKeeper,
    private readonly events: NamespaceEvents,
  ) {
    this.validate = toValidateFunction(options.validate);
    this.names = options.sharedGroups;
  }

  /** The own group was decided (held, or none): the effective config is whole from now on. */
  ownDecided(): void {
    this.decided = true;
  }

  follows(group: string): boolean {
    return this.names.includes(group);
  }

  /** Reads every shared group again (start, reconnect, `refresh()`). */
  loadAll(): Promise<void> {
    if (this.names.length === 0) return Promise.resolve();
    return this.enqueue('load', async () => {
      // Their channels first: a change published while reading them is heard.
      await this.events.follow('shared', this.names);
      const raws = await this.connection.client.hmget(this.keys.groups, ...this.names);
      let changed = false;
      this.names.forEach((name, i) => {
        const reason = this.applied.has(name) ? 'updated' : 'loaded';
        changed = this.applyStored(name, storedRecord(raws[i], name), reason) || changed;
      });
      if (changed) await this.snapshot.save();
    });
  }

  onEvent(event: Exclude<NamespaceEvent, { type: 'released' | 'rebalance' | 'created' }>): void {
    const name = event.group;
    if (event.type === 'deleted') {
      void this.enqueue(name, () => this.apply(name, null, 'deleted'));
      return;
    }
    if (event.version !== null && event.version === this.state.sharedGroup(name)?.version) return;
    void this.enqueue(name, () => this.loadOne(name, event));
  }

  /** The periodic check's digests, one per shared group (null: absent), in option order. */
  check(digests: readonly (string | null)[]): void {
    this.names.forEach((name, i) => {
      const digest = digests[i] ?? MISSING;
      if (digest !== this.applied.get(name) && digest !== this.rejected.get(name))
        void this.enqueue(name, () => this.loadOne(name));
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
  }

  private enqueue(what: string, work: () => Promise<void>): Promise<void> {
    this.queue = this.queue
      .then(() => (this.stopped ? undefined : work()))
      .catch((error: Error) => {
        this.logger.warn(
          `Shared group reload (${what}) failed, keeping the last good one: ${error.message}`,
        );
      });
    return this.queue;
  }

  private async loadOne(name: string, pushed?: GroupVersionEvent): Promise<void> {
    const held = this.state.sharedGroup(name) ?? null;
    const carried = this.options.eventInlineMaxBytes > 0 ? carriedRecord(pushed, held, name) : null;
    const stored =
      carried ?? storedRecord(await this.connection.client.hget(this.keys.groups, name), name);
    const reason = pushed?.type === 'rollback' ? 'rollback' : held ? 'updated' : 'loaded';
    await this.apply(name, stored, stored ? reason : 'deleted');
  }

  private async apply(
    name: string,
    stored: StoredRecord | null,
    reason: ConfigChangeReason,
  ): Promise<void> {
    if (this.applyStored(name, stored, reason)) await this.snapshot.save();
  }

  /** Applies one stored record (null: the group is gone); true when the state changed. */
  private applyStored(
    name: string,
    stored: StoredRecord | null,
    reason: ConfigChangeReason,
  ): boolean {
    const digest = stored?.digest ?? MISSING;
    if (digest === this.applied.get(name) || digest === this.rejected.get(name)) return false;
    const held = this.state.sharedGroup(name) ?? null;
    if (!stored && !held) {
      this.applied.set(name, MISSING);
      return false;
    }
    let group = null;
    if (stored) {
      const parsed = stored.read();
      if ('problem' in parsed)
        return this.refuse(name, -1, `stored JSON ${parsed.problem}`, digest);
      const { version } = parsed.record;
      const opened = openSecrets(parsed.record, this.options.encryption);
      if ('problem' in opened) return this.refuse(name, version, opened.problem, digest);
      group = frozenGroup(name, version, opened.config);
    }
    // Before the own group is first decided there is no whole to check: its arrival validates it.
    if (this.decided || this.state.current) {
      try {
        this.validate(this.state.candidate({ shared: name, group }));
      } catch (error) {
        return this.refuse(name, group?.version ?? -1, (error as Error).message, digest);
      }
    }
    this.state.applyShared(name, group, stored ? reason : 'deleted');
    this.applied.set(name, digest);
    this.rejected.delete(name);
    return true;
  }

  private refuse(name: string, version: number, error: string, digest: string): false {
    this.rejected.set(name, digest);
    this.logger.error(
      `Shared group "${name}" ${digest === MISSING ? 'deleted' : `version ${version}`} refused, ` +
        `keeping the last good config: ${error}`,
    );
    this.state.reject(name, version, error, true);
    return false;
  }
}
