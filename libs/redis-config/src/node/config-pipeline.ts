import { Inject, Injectable, Logger } from '@nestjs/common';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import type { ConfigDict, ConfigGroupRecord } from '../wire/config-group-record';
import type { GroupHolding } from '../wire/group-holding';
import { ConfigChangeReason, ConfigGroup, frozenGroup } from './config-change';
import { toValidateFunction } from './config-validator';
import { NodeState, NodeStateWriter } from './node-state';
import { openSecrets } from './secret-opening';
import { SnapshotKeeper } from './snapshot-keeper';

/** Stands for "known to be missing" where a shared group's digest is kept. */
const MISSING = '';

type RecordFields = Pick<ConfigGroupRecord, 'name' | 'version' | 'config'>;

/** A version of a group as read (from Redis, a pushed event, a test), not opened yet. */
export interface ProposedRecord {
  /** SHA-1 of the stored JSON: a content is applied once and refused once. Absent: never skipped. */
  readonly digest?: string;
  read(): { record: RecordFields } | { problem: string };
}

/** What may change the node's state; each is applied by `ConfigPipeline` in the order received. */
export type NodeInput =
  /** A version of the own group, loaded or pushed, held as `holding`. */
  | {
      kind: 'own';
      group: string;
      record: ProposedRecord;
      reason: ConfigChangeReason;
      holding: 'pinned' | 'assigned';
    }
  /** The place changed, the content did not (its group is gone and none is left: `none`). */
  | { kind: 'place'; holding: GroupHolding }
  /** Every group the node may hold is full: it holds none. */
  | { kind: 'unassigned' }
  /** The own group was decided (held, or none): from now on shared changes are validated. */
  | { kind: 'decided' }
  /** A version of a shared group (null: it is gone). */
  | { kind: 'shared'; name: string; record: ProposedRecord | null; reason: ConfigChangeReason }
  /** A rollout's candidate for the own group, run as a canary. */
  | { kind: 'candidate'; candidate: RecordFields }
  /** Back from a canary to the stable version. */
  | { kind: 'revert'; stable: ConfigGroup }
  /** The sources found in the snapshot file at start. */
  | { kind: 'snapshot'; own: ConfigGroup | null; shared: readonly ConfigGroup[] };

/** Why a version was not applied: its JSON cannot be read, a secret cannot be opened, `validate`. */
export interface Refusal {
  by: 'record' | 'secrets' | 'validate';
  /** What `validate` threw, or the problem in words. */
  error: Error;
}

/** What became of one input. */
export interface Applied {
  /** True when the state changed (an event was emitted, or the place moved). */
  changed: boolean;
  refused?: Refusal;
  /** The group applied (own or candidate), frozen: the object `NodeState.current` now is. */
  group?: ConfigGroup;
}

/** Applies the inputs of one turn; only valid until the turn's work resolves. */
export type ApplyInput = (input: NodeInput) => Applied;

const UNCHANGED: Applied = Object.freeze({ changed: false });

/**
 * The node's one writer. Every source of change (the own group's follower, the shared groups'
 * follower, the rollout participant, the snapshot, the testing module) runs its work as a turn of
 * one ordered queue and hands its inputs to one apply function: open secrets → layer shared + own
 * → validate → apply → events. No turn starts before the previous one ended, so what a turn read
 * (the group held, the version) is still true when it applies.
 */
@Injectable()
export class ConfigPipeline {
  private readonly logger = new Logger('RedisConfig');
  private readonly validate: ReturnType<typeof toValidateFunction>;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** Set once the own group was first decided: before, shared changes have no whole to check. */
  private decided = false;
  /** SHA-1 of the own group's stored JSON last applied, and of the last one refused. */
  private ownApplied: string | null = null;
  private ownRefused: string | null = null;
  /** Per shared group: the digest last applied (MISSING: applied as absent), last refused. */
  private readonly sharedApplied = new Map<string, string>();
  private readonly sharedRefused = new Map<string, string>();
  /** The node state's one writer. */
  private readonly write: NodeStateWriter;

  /** @internal Built by Nest's injector. */
  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly state: NodeState,
    private readonly snapshot: SnapshotKeeper,
  ) {
    this.validate = toValidateFunction(options.validate);
    this.write = state.writer();
  }

  /** The digest of the own group's content applied, and of the one refused (not retried). */
  get ownDigests(): { applied: string | null; refused: string | null } {
    return { applied: this.ownApplied, refused: this.ownRefused };
  }

  /** True when the periodic check's digest of shared group `name` (null: absent) is news. */
  sharedDigestIsNew(name: string, digest: string | null): boolean {
    const seen = digest ?? MISSING;
    return seen !== this.sharedApplied.get(name) && seen !== this.sharedRefused.get(name);
  }

  /**
   * Runs `work` as the next turn: after every turn queued before it, before any queued after.
   * It reads what it needs and hands its inputs to `apply`; the snapshot is saved after a turn
   * that changed a source. Rejects with the work's error (the queue goes on); skipped once stopped.
   */
  run<T>(work: (apply: ApplyInput) => Promise<T> | T): Promise<T | undefined> {
    const turn = this.queue.then(async () => {
      if (this.stopped) return undefined;
      let open = true;
      let save = false;
      const apply: ApplyInput = (input) => {
        if (!open) throw new Error(`input "${input.kind}" given after its turn ended`);
        const applied = this.apply(input);
        if (applied.changed && (input.kind === 'own' || input.kind === 'shared')) save = true;
        return applied;
      };
      try {
        return await work(apply);
      } finally {
        open = false;
        if (save) await this.snapshot.save();
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * What would refuse `candidate` as the own group (`own`) or as the shared group of its name:
   * secrets opened and `validate` run on the effective config it would make; nothing is applied.
   * Null: it would be applied.
   */
  verify(candidate: RecordFields, as: 'own' | 'shared'): Refusal | null {
    const opened = this.open(candidate.name, { read: () => ({ record: candidate }) }, (next) =>
      as === 'own'
        ? this.state.candidate({ own: next })
        : this.state.candidate({ shared: candidate.name, group: next }),
    );
    return 'refused' in opened ? opened.refused : null;
  }

  /** No turn starts any more; resolves when the running one has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
  }

  /** The one apply function. */
  private apply(input: NodeInput): Applied {
    switch (input.kind) {
      case 'own':
        return this.applyOwn(input);
      case 'shared':
        return this.applyShared(input.name, input.record, input.reason);
      case 'candidate':
        return this.applyCandidate(input.candidate);
      case 'place':
        this.write.hold(input.holding);
        return { changed: true };
      case 'unassigned':
        this.write.apply(null, 'unassigned', 'none');
        return { changed: true };
      case 'decided':
        this.decided = true;
        return UNCHANGED;
      case 'revert':
        this.write.apply(input.stable, 'rollback', this.state.holding);
        return { changed: true, group: input.stable };
      case 'snapshot':
        this.write.restore(input.own, input.shared);
        return { changed: true };
    }
  }

  private applyOwn(input: Extract<NodeInput, { kind: 'own' }>): Applied {
    const { group, record, reason, holding } = input;
    const { digest } = record;
    if (digest !== undefined) {
      if (group === this.state.current?.name && digest === this.ownApplied) {
        this.write.hold(holding);
        return UNCHANGED;
      }
      if (digest === this.ownRefused) return UNCHANGED;
    }
    const opened = this.open(group, record, (next) => this.state.candidate({ own: next }));
    if ('refused' in opened) {
      this.ownRefused = digest ?? null;
      const { name, version, refused } = opened;
      this.logger.error(
        `Config group "${name}" version ${version} refused, keeping the last good group: ` +
          refused.error.message,
      );
      this.write.reject(name, version, refused.error.message);
      return { changed: false, refused };
    }
    this.write.apply(opened.group, reason, holding);
    this.ownApplied = digest ?? null;
    this.ownRefused = null;
    return { changed: true, group: opened.group };
  }

  private applyShared(
    name: string,
    record: ProposedRecord | null,
    reason: ConfigChangeReason,
  ): Applied {
    const digest = record ? record.digest : MISSING;
    if (digest !== undefined && !this.sharedDigestIsNew(name, digest)) return UNCHANGED;
    const held = this.state.sharedGroup(name) ?? null;
    if (!record && !held) {
      this.sharedApplied.set(name, MISSING);
      return UNCHANGED;
    }
    // Before the own group is first decided there is no whole to check: its arrival validates it.
    const checked = this.decided || this.state.current !== null;
    const opened = record
      ? this.open(name, record, (next) =>
          checked ? this.state.candidate({ shared: name, group: next }) : null,
        )
      : this.checked(name, -1, null, () =>
          checked ? this.state.candidate({ shared: name, group: null }) : null,
        );
    if ('refused' in opened) {
      if (digest !== undefined) this.sharedRefused.set(name, digest);
      const what = record ? `version ${opened.version}` : 'deleted';
      this.logger.error(
        `Shared group "${name}" ${what} refused, keeping the last good config: ` +
          opened.refused.error.message,
      );
      this.write.reject(name, opened.version, opened.refused.error.message, true);
      return { changed: false, refused: opened.refused };
    }
    this.write.applyShared(name, opened.group, record ? reason : 'deleted');
    if (digest !== undefined) this.sharedApplied.set(name, digest);
    this.sharedRefused.delete(name);
    return { changed: true };
  }

  /** A canary's candidate: refused quietly (no `rejected` event), the participant says why. */
  private applyCandidate(candidate: RecordFields): Applied {
    const opened = this.open(candidate.name, { read: () => ({ record: candidate }) }, (next) =>
      this.state.candidate({ own: next }),
    );
    if ('refused' in opened) return { changed: false, refused: opened.refused };
    this.write.apply(opened.group, 'canary', this.state.holding);
    return { changed: true, group: opened.group };
  }

  /** Reads and opens `record`, and validates the effective config it would make (if any). */
  private open(
    group: string,
    record: ProposedRecord,
    effective: (next: ConfigGroup) => Readonly<ConfigDict> | null,
  ): { group: ConfigGroup } | { refused: Refusal; name: string; version: number } {
    const parsed = record.read();
    if ('problem' in parsed) return refusal('record', group, -1, `stored JSON ${parsed.problem}`);
    const { name, version } = parsed.record;
    const opened = openSecrets(parsed.record, this.options.encryption);
    if ('problem' in opened) return refusal('secrets', name, version, opened.problem);
    const next = frozenGroup(name, version, opened.config);
    return this.checked(name, version, next, () => effective(next));
  }

  /** `next` when `validate` accepts the effective config it makes (null: nothing to check). */
  private checked<G extends ConfigGroup | null>(
    name: string,
    version: number,
    next: G,
    effective: () => Readonly<ConfigDict> | null,
  ): { group: G } | { refused: Refusal; name: string; version: number } {
    const config = effective();
    if (config === null) return { group: next };
    try {
      this.validate(config);
    } catch (error) {
      return { refused: { by: 'validate', error: asError(error) }, name, version };
    }
    return { group: next };
  }
}

function refusal(by: Refusal['by'], name: string, version: number, problem: string) {
  return { refused: { by, error: new Error(problem) }, name, version };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
