import { Inject, Injectable } from '@nestjs/common';
import { RedisConfigConnection } from '../connection/redis-config-connection';
import { ConfigVersionConflictError, RolloutRunningError } from '../errors';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import { ConfigDict, isPlainObject, storedGroupTemplate } from '../wire/config-group-record';
import { ConfigKeys } from '../wire/config-keys';
import { writeKeys } from '../wire/write-keys';
// The publisher's scripts are defined on the connection on first use (a node never loads them).
import { withPublisherScripts } from '../wire/publisher-scripts';
import { openConfigWherePossible, sealConfig } from '../secrets/config-secrets';
import {
  parseNodeIds,
  parseProblems,
  parseRolloutAnswer,
  parseRolloutMessage,
  parseRolloutState,
  RolloutAnswer,
  RolloutMessage,
  RolloutProblem,
  RolloutState,
  RolloutStatus,
  ROLLOUT_STATUSES,
  isRunning,
  rolloutMessage,
} from '../wire/rollout-state';
import { registerPublisherProvider } from '../utils/publisher-registry';

/** A group's latest rollout as stored: its state, candidate, chosen canaries and problems. */
export interface StoredRollout {
  /** The small part every node reads. */
  state: RolloutState;
  /** The candidate config (the group's own config it would become). */
  candidate: ConfigDict;
  /** Nodes chosen to run the candidate, across steps. */
  canaryNodes: string[];
  /** Refusals (verification) and problems reported by canaries. */
  problems: RolloutProblem[];
}

/**
 * The publisher's side of rollouts (DESIGN §13): every transition is one Lua script that checks
 * the status and step it moves from, so two admins can never both advance one rollout. Keys:
 * `{ns}:rollout:<group>` (hash), `{ns}:rollout-answers:<id>`, `{ns}:rollouts-running` (set),
 * `{ns}:rollout-driver` (lease); channel `{ns}:rollouts` (small messages only).
 */
@Injectable()
export class RolloutStore {
  /** @internal Built by Nest's injector. */
  constructor(
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
  ) {}

  /** The namespace (`RCC_NAMESPACE`) these rollouts belong to. */
  get namespace(): string {
    return this.keys.namespace;
  }

  /** The rollouts channel, for a subscriber of one's own. */
  get channel(): string {
    return this.keys.rollouts;
  }

  /** Redis's clock (ms): every rollout time is on it, whichever admin reads it. */
  async now(): Promise<number> {
    const [seconds, micros] = await this.connection.client.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  /** The group's latest rollout; null when it has none (or what is stored is not ours). */
  async read(group: string): Promise<StoredRollout | null> {
    const [state, candidate, canaries, problems] = await this.connection.client.hmget(
      this.keys.rollout(group),
      'state',
      'candidate',
      'canaries',
      'problems',
    );
    const parsed = parseRolloutState(state);
    if (!parsed || parsed.group !== group) return null;
    let config: unknown = null;
    try {
      config = JSON.parse(candidate ?? 'null');
    } catch {
      config = null;
    }
    if (!isPlainObject(config)) return null;
    return {
      state: parsed,
      // Decrypted in memory only, as the groups store reads (what no key opens stays sealed).
      candidate: openConfigWherePossible(config, this.options.encryption, group),
      canaryNodes: parseNodeIds(canaries),
      problems: parseProblems(problems),
    };
  }

  /**
   * How many groups' latest rollouts are in each status (every status listed, 0 included): one
   * pipelined read per group, for the admin's metrics.
   */
  async countByStatus(groups: readonly string[]): Promise<Record<RolloutStatus, number>> {
    const counts = Object.fromEntries(ROLLOUT_STATUSES.map((status) => [status, 0])) as Record<
      RolloutStatus,
      number
    >;
    if (groups.length === 0) return counts;
    const pipeline = this.connection.client.pipeline();
    for (const group of groups) pipeline.hget(this.keys.rollout(group), 'state');
    for (const [error, raw] of (await pipeline.exec()) ?? []) {
      const state = error ? null : parseRolloutState(raw as string | null);
      if (state) counts[state.status] += 1;
    }
    return counts;
  }

  /**
   * The id of the group's rollout when one has not ended (running, or promoted and not yet
   * written); null otherwise. One `SISMEMBER` (and an `HGET` only when one runs).
   */
  async runningId(group: string): Promise<string | null> {
    const client = this.connection.client;
    if ((await client.sismember(this.keys.runningRollouts, group)) !== 1) return null;
    const state = parseRolloutState(await client.hget(this.keys.rollout(group), 'state'));
    // Unreadable data (written by others) blocks nothing, as in the begin script.
    if (!state || state.group !== group) return null;
    return isRunning(state.status) || (state.status === 'promoted' && !state.published)
      ? state.id
      : null;
  }

  /** Groups whose rollout has not ended. */
  running(): Promise<string[]> {
    return this.connection.client.smembers(this.keys.runningRollouts);
  }

  /**
   * Stores a new rollout (status `verifying`) and asks the nodes to verify it.
   *
   * @throws {@link RolloutRunningError} when the group already has a running rollout.
   * @throws {@link ConfigVersionConflictError} when the group is no longer at `state.baseVersion`.
   */
  async begin(state: RolloutState, candidate: ConfigDict): Promise<void> {
    const [status, detail] = await withPublisherScripts(this.connection.client).rccRolloutBegin(
      this.keys.rollout(state.group),
      this.keys.runningRollouts,
      this.keys.groups,
      state.group,
      state.baseVersion,
      JSON.stringify(state),
      JSON.stringify(this.sealed(state.group, candidate)),
      this.keys.rollouts,
      this.message('verify', state),
    );
    if (status === 'RUNNING') throw new RolloutRunningError(state.group, String(detail ?? ''));
    if (status === 'CONFLICT') {
      const actual = Number(detail);
      throw new ConfigVersionConflictError(
        state.group,
        state.baseVersion,
        actual < 0 ? null : actual,
      );
    }
  }

  /** Asks the nodes again to verify (a message lost in an outage). */
  async askToVerify(state: RolloutState): Promise<void> {
    await this.connection.client.publish(this.keys.rollouts, this.message('verify', state));
  }

  /**
   * Moves a running rollout from `from` to `next` (a new step, or promoted): 'moved', 'stale'
   * (it is no longer where the caller saw it) or 'problem' (with `refuseOnProblem`, a problem is
   * recorded: the caller rolls back instead).
   */
  async advance(
    from: { id: string; status: RolloutStatus; step: number },
    next: RolloutState,
    options: { canaryNodes?: string[]; refuseOnProblem?: boolean; ends?: boolean } = {},
  ): Promise<'moved' | 'stale' | 'problem'> {
    const result = await withPublisherScripts(this.connection.client).rccRolloutAdvance(
      this.keys.rollout(next.group),
      this.keys.runningRollouts,
      from.id,
      from.status,
      from.step,
      JSON.stringify(next),
      options.canaryNodes ? JSON.stringify(options.canaryNodes) : '',
      options.refuseOnProblem ? '1' : '0',
      options.ends ? '1' : '0',
      next.group,
      this.keys.rollouts,
      this.message('state', next),
    );
    return result === 1 ? 'moved' : result === -1 ? 'problem' : 'stale';
  }

  /**
   * Ends a running rollout without promoting it (`next.status`: rolled-back, aborted, rejected),
   * from one of `from`. With `stable` (canaries ran the candidate), the stable config is written
   * again at `baseVersion + 2`, burning the candidate's number. Returns false when the rollout
   * was no longer in one of those statuses, else the version written (null: none).
   */
  async revert(
    from: readonly RolloutStatus[],
    next: RolloutState,
    stable: { config: ConfigDict; author?: string; comment: string } | null,
    problems?: RolloutProblem[],
  ): Promise<{ ended: boolean; writtenVersion: number | null }> {
    const template = stable
      ? storedGroupTemplate(next.group, stable.config, {
          updatedAt: new Date().toISOString(),
          author: stable.author,
          comment: stable.comment,
        })
      : { before: '', after: '' };
    const [ended, written] = await withPublisherScripts(this.connection.client).rccRolloutRevert(
      this.keys.rollout(next.group),
      this.keys.runningRollouts,
      ...writeKeys(this.keys),
      this.keys.history(next.group),
      next.id,
      from.join(','),
      JSON.stringify({ ...next, revertedVersion: null }),
      next.group,
      this.keys.rollouts,
      this.message('state', next),
      next.baseVersion,
      template.before,
      template.after,
      this.options.historyLimit,
      this.keys.groupChannels,
      JSON.stringify(next.group),
      this.options.eventInlineMaxBytes,
      problems ? JSON.stringify(problems) : '',
    );
    return {
      ended: ended === 1,
      writtenVersion: ended === 1 && written !== undefined && written >= 0 ? written : null,
    };
  }

  /** Marks a promoted rollout as written into the groups hash (kept: it ends the rollout). */
  async markPublished(state: RolloutState): Promise<boolean> {
    const moved = await this.advance(state, { ...state, published: true }, { ends: true });
    return moved === 'moved';
  }

  /** The verification answers given so far: node id → answer. */
  async answers(id: string): Promise<Map<string, RolloutAnswer>> {
    const all = await this.connection.client.hgetall(this.keys.rolloutAnswers(id));
    const answers = new Map<string, RolloutAnswer>();
    for (const [nodeId, raw] of Object.entries(all)) {
      const answer = parseRolloutAnswer(raw);
      if (answer) answers.set(nodeId, answer);
    }
    return answers;
  }

  /** Takes or renews the driver lease for `holder`; true while it is this holder's. */
  async holdDriverLease(holder: string, leaseMs: number): Promise<boolean> {
    return (
      (await withPublisherScripts(this.connection.client).rccRolloutDriver(
        this.keys.rolloutDriver,
        holder,
        leaseMs,
      )) === 1
    );
  }

  /** Gives the driver lease up (a clean shutdown: another admin takes over at once). */
  async releaseDriverLease(holder: string): Promise<void> {
    const client = this.connection.client;
    if ((await client.get(this.keys.rolloutDriver)) === holder)
      await client.del(this.keys.rolloutDriver);
  }

  /** Checks a message of the rollouts channel. */
  parseMessage(text: string): RolloutMessage | null {
    return parseRolloutMessage(text);
  }

  private message(type: RolloutMessage['type'], state: RolloutState): string {
    return rolloutMessage({
      type,
      group: state.group,
      id: state.id,
      status: state.status,
      step: state.step,
    });
  }

  /** The candidate as stored: secret values encrypted, as every write of a group stores them. */
  private sealed(group: string, candidate: ConfigDict): ConfigDict {
    const ring = this.options.encryption;
    return ring ? sealConfig(candidate, ring, this.options.isSecretKey, group) : candidate;
  }
}

// Provided by RedisConfigModule once loaded (see publisher-registry).
registerPublisherProvider(RolloutStore);
