import { Inject, Injectable, Logger } from '@nestjs/common';
import { Observable, Subject, Subscription } from 'rxjs';
import { NamespaceEvents } from '../connection/namespace-events';
import { RedisConfigConnection } from '../connection/redis-config-connection';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import { isPlainObject } from '../wire/config-group-record';
import { ConfigKeys } from '../wire/config-keys';
import type { NodeCheck } from '../wire/node-check';
import {
  parseNodeIds,
  parseRolloutMessage,
  parseRolloutState,
  ROLLOUT_ANSWERS_TTL_MS,
  RolloutAnswer,
  RolloutMessage,
  RolloutState,
} from '../wire/rollout-state';
import { ConfigGroup, frozenGroup } from './config-change';
import { ApplyInput, ConfigPipeline } from './config-pipeline';
import { NodeState } from './node-state';
import { PeriodicCheck } from './periodic-check';

const PLACEMENT_REASONS: readonly string[] = [
  'loaded',
  'snapshot',
  'assigned',
  'reassigned',
  'deleted',
  'unassigned',
];

/** The candidate this node runs as a canary, and the stable group it goes back to. */
interface CanaryRun {
  rolloutId: string;
  candidate: ConfigGroup;
  stable: ConfigGroup;
}

/**
 * A node's part in rollouts (DESIGN §13): answers verification with its own `validate` on the
 * effective config it would get (own or shared group), runs the candidate when the admin chose it
 * as a canary (reason `canary`), goes back to stable when the rollout ends without promotion, and
 * reports problems (`reportProblem`, a change listener that throws on the candidate).
 *
 * Messages on `{ns}:rollouts` only say that something moved; the node reads the rest from the
 * group's rollout key. It also looks after each change of its own group (placement, a restart
 * mid-canary) and on every periodic check, whose reply carries the rollout's state (the
 * heartbeat's: no call of its own): the safety net for a lost message. Each look is a turn of the
 * node's `ConfigPipeline`; the candidate and the way back are inputs. Started by `NodeRuntime`.
 */
@Injectable()
export class RolloutParticipant {
  private readonly logger = new Logger('RedisConfig');
  private readonly reported = new Subject<string>();
  private canaryRun: CanaryRun | null = null;
  /** Rollouts this node reported a problem with: it never runs their candidate again. */
  private readonly refused = new Set<string>();
  /** Rollouts this node answered (verification), so the refresh does not answer again. */
  private readonly answered = new Set<string>();
  /** Problems reported while Redis could not take them. */
  private readonly unrecorded: { run: CanaryRun; text: string }[] = [];
  /**
   * When the rollout data last acted on was read (`performance.now()` at the read's send): a
   * periodic check sent before it is older and is left out (it would undo a newer move).
   */
  private readAt = -Infinity;
  private subscriptions: Subscription | null = null;
  private stopped = false;
  /** Failures of change listeners while the candidate is being applied. */
  private applyFailures: string[] | null = null;
  private readonly onMessage = (channel: string, text: string) => {
    if (channel !== this.keys.rollouts) return;
    const message = parseRolloutMessage(text);
    if (message) this.onRolloutMessage(message);
  };

  /** Every problem the app reported (`reportProblem`): counted by the node's metrics. */
  readonly problems$: Observable<string> = this.reported.asObservable();

  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
    private readonly state: NodeState,
    private readonly pipeline: ConfigPipeline,
    private readonly events: NamespaceEvents,
    private readonly periodic: PeriodicCheck,
  ) {}

  /**
   * One SUBSCRIBE with the events channel, before the follower listens: a Cluster subscriber
   * given a second SUBSCRIBE while it still connects may drop the first one.
   */
  subscribe(): void {
    this.events.alsoSubscribe(this.keys.rollouts);
  }

  /** True while this node runs a rollout's candidate (it is one of its canaries). */
  get canary(): boolean {
    return this.canaryRun !== null && this.state.current === this.canaryRun.candidate;
  }

  /** The id of the rollout whose candidate this node runs; null when it runs the stable version. */
  get canaryRolloutId(): string | null {
    return this.canary ? (this.canaryRun?.rolloutId ?? null) : null;
  }

  /** After the group's first load (bootstrap waits here): a node restarting mid-canary resumes. */
  async start(): Promise<void> {
    const subscriber = this.connection.subscriber;
    subscriber.on('message', this.onMessage);
    this.subscriptions = this.state.changes.subscribe((event) => {
      // A change of its own place (a start, a restart mid-canary, a move) may change its part; a
      // new version of the same group costs nothing more (its rollout's messages and the periodic
      // check cover it), so a publish still costs each holder O(1).
      if (!PLACEMENT_REASONS.includes(event.reason) || event.source?.shared) return;
      void this.check();
    });
    this.subscriptions.add(
      this.state.listenerFailures.subscribe(({ event, error }) =>
        this.listenerFailed(event, error),
      ),
    );
    this.subscriptions.add(this.periodic.checks$.subscribe((check) => void this.check(check)));
    await this.check();
  }

  /** Hears nothing more (the pipeline's last turn is awaited by the caller). */
  stop(): void {
    this.stopped = true;
    this.subscriptions?.unsubscribe();
    this.connection.subscriber.off('message', this.onMessage);
  }

  /**
   * The app says the config it runs does not work. Counted always; when this node runs a
   * rollout's candidate, it goes back to the stable version at once and the problem is recorded
   * with the rollout (the admin then rolls the whole rollout back).
   */
  async reportProblem(message: string): Promise<void> {
    const text = String(message).slice(0, 1000);
    this.reported.next(text);
    if (this.applyFailures) {
      // Said by a listener while the candidate is being applied: handled once it is applied.
      this.applyFailures.push(text);
      return;
    }
    const run = this.canary ? this.canaryRun : null;
    if (!run) {
      this.logger.warn(`Problem reported with the config this node runs: ${text}`);
      return;
    }
    // The next turn goes back to stable; this one (a listener's, say) is not waited for.
    this.refused.add(run.rolloutId);
    await this.pipeline.run((apply) => this.recordProblem(apply, run, text));
  }

  /** Back to stable at once, then the problem is kept with the rollout and announced. */
  private async recordProblem(apply: ApplyInput, run: CanaryRun, text: string): Promise<void> {
    this.logger.warn(
      `Problem reported with rollout ${run.rolloutId} of "${run.candidate.name}": ${text}; ` +
        'back to the stable version',
    );
    this.refused.add(run.rolloutId);
    this.backToStable(apply, run);
    this.unrecorded.push({ run, text });
    await this.recordPending();
  }

  /**
   * Records the problems not yet in Redis (an outage when they were reported): kept and tried
   * again at every check, so a rollout never goes on without hearing of them.
   */
  private async recordPending(): Promise<void> {
    while (this.unrecorded.length > 0) {
      const { run, text } = this.unrecorded[0];
      try {
        await this.connection.client.rccRolloutProblem(
          this.keys.rollout(run.candidate.name),
          run.rolloutId,
          this.options.nodeId,
          text,
          this.keys.rollouts,
          run.candidate.name,
        );
      } catch (error) {
        this.logger.warn(`Rollout problem not recorded yet: ${(error as Error).message}`);
        return;
      }
      this.unrecorded.shift();
    }
  }

  private onRolloutMessage(message: RolloutMessage): void {
    if (message.type === 'problem') return; // the admin's business
    const own = this.state.current?.name === message.group && this.state.holding !== 'none';
    const shared = this.options.sharedGroups.includes(message.group);
    if (message.type === 'verify' && (own || shared)) {
      void this.enqueue(() => this.answer(message.group, message.id));
    } else if (own) {
      void this.check();
    }
  }

  /**
   * One look at the rollout of the held group, and at whether this node should run it: read now,
   * or as a periodic check found it (`periodic`).
   */
  private check(periodic?: NodeCheck): Promise<void> {
    return this.enqueue(async (apply) => {
      await this.recordPending();
      const held = this.state.current;
      // Older than what was last read, or asked about another group: the next check will do.
      const stale =
        periodic &&
        (periodic.askedAt <= this.readAt || periodic.request.held !== (held?.name ?? ''));
      if (stale) return;
      if (!held || this.state.holding === 'none') {
        // No place any more (its group vanished, Redis lost its data): never keep a candidate.
        this.backToStable(apply);
        await this.answerShared(periodic);
        return;
      }
      // Moved to another group meanwhile: that candidate is gone with the group it was of.
      if (this.canaryRun && held !== this.canaryRun.candidate) this.canaryRun = null;
      const group = held.name;
      const { raw, listed } = periodic ? this.fromCheck(periodic) : await this.readRollout(group);
      const rollout = parseRolloutState(raw);
      if (rollout?.group !== group) {
        this.backToStable(apply);
        return;
      }
      if (rollout.status === 'verifying' && !this.answered.has(rollout.id)) {
        await this.answer(group, rollout.id);
      }
      const chosen = rollout.status === 'canary' && !this.refused.has(rollout.id) && listed;
      if (chosen) await this.runCandidate(apply, rollout);
      else if (rollout.status === 'promoted' || this.canaryRun?.rolloutId !== rollout.id)
        // Promoted: the candidate is (or is about to be) the group's next version; keep it.
        this.forgetCanary(apply, rollout);
      else this.backToStable(apply);
      await this.answerShared(periodic);
    });
  }

  private fromCheck(check: NodeCheck): { raw: string | null; listed: boolean } {
    this.readAt = check.askedAt;
    return { raw: check.rolloutState, listed: check.chosenCanary };
  }

  private async readRollout(group: string): Promise<{ raw: string | null; listed: boolean }> {
    this.readAt = performance.now();
    const [raw, canaries] = await this.connection.client.hmget(
      this.keys.rollout(group),
      'state',
      'canaries',
    );
    return { raw, listed: parseNodeIds(canaries).includes(this.options.nodeId) };
  }

  /**
   * Shared groups with a rollout that verifies: answered on the refresh (a missed message), from
   * the periodic check's reply when there is one.
   */
  private async answerShared(periodic?: NodeCheck): Promise<void> {
    for (const [i, group] of this.options.sharedGroups.entries()) {
      const raw = periodic
        ? (periodic.sharedVerifying[i] ?? null)
        : await this.connection.client.hget(this.keys.rollout(group), 'state');
      const rollout = parseRolloutState(raw);
      if (rollout?.status === 'verifying' && !this.answered.has(rollout.id))
        await this.answer(group, rollout.id);
    }
  }

  private async runCandidate(apply: ApplyInput, rollout: RolloutState): Promise<void> {
    const held = this.state.current;
    if (!held || held.name !== rollout.group) return;
    if (this.canaryRun?.rolloutId === rollout.id && held === this.canaryRun.candidate) return;
    // Only from the version the rollout was made from: a node behind (or ahead) waits for it.
    if (held.version !== rollout.baseVersion) return;
    const stored = await this.candidateOf(rollout.group);
    if (!stored) return;
    const fields = { name: rollout.group, version: rollout.version, config: stored };
    this.applyFailures = [];
    const applied = apply({ kind: 'candidate', candidate: fields });
    const failures = this.applyFailures;
    this.applyFailures = null;
    if (applied.refused) {
      // Verified by others, yet this node cannot decrypt it, or refuses it now (its shared
      // groups changed meanwhile): a problem, never applied.
      const { by, error } = applied.refused;
      const why = by === 'validate' ? 'validate refused' : 'cannot decrypt';
      const run = {
        rolloutId: rollout.id,
        candidate: frozenGroup(rollout.group, rollout.version, {}),
        stable: held,
      };
      this.refused.add(rollout.id);
      await this.recordProblem(apply, run, `${why} the candidate: ${error.message}`);
      return;
    }
    const run = { rolloutId: rollout.id, candidate: applied.group as ConfigGroup, stable: held };
    this.canaryRun = run;
    this.logger.log(`Canary of rollout ${rollout.id}: "${rollout.group}" v${rollout.version}`);
    if (failures.length > 0) await this.recordProblem(apply, run, failures.join('; '));
  }

  private listenerFailed(event: { reason: string }, error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    if (this.applyFailures) {
      this.applyFailures.push(`change listener failed: ${text}`);
    } else if (event.reason === 'canary' && this.canary) {
      void this.reportProblem(`change listener failed while applying the candidate: ${text}`);
    }
  }

  /** Back on the stable group, when this node still runs the candidate it took. */
  private backToStable(apply: ApplyInput, run = this.canaryRun): void {
    if (this.canaryRun === run) this.canaryRun = null;
    if (!run || this.state.current !== run.candidate) return;
    apply({ kind: 'revert', stable: run.stable });
    this.logger.log(`Back to the stable "${run.stable.name}" v${run.stable.version}`);
  }

  private forgetCanary(apply: ApplyInput, rollout: RolloutState): void {
    if (this.canaryRun?.rolloutId === rollout.id) this.canaryRun = null;
    else this.backToStable(apply);
  }

  /** Runs `validate` on the effective config the candidate would make here, and says so. */
  private async answer(group: string, id: string): Promise<void> {
    if (this.answered.has(id)) return;
    const [raw, candidateText] = await this.connection.client.hmget(
      this.keys.rollout(group),
      'state',
      'candidate',
    );
    const rollout = parseRolloutState(raw);
    if (rollout?.id !== id || rollout.status !== 'verifying') return;
    const stored = parseConfig(candidateText);
    const own = this.state.current?.name === group && this.state.holding !== 'none';
    const refusal = stored
      ? this.pipeline.verify(
          { name: group, version: rollout.version, config: stored },
          own ? 'own' : 'shared',
        )
      : null;
    let answer: RolloutAnswer;
    if (!stored)
      answer = { ok: false, reason: 'the candidate stored in Redis is not a JSON object' };
    else if (refusal?.by === 'secrets')
      answer = { ok: false, reason: `cannot decrypt the candidate: ${refusal.error.message}` };
    else if (refusal)
      answer = { ok: false, reason: refusal.error.message || 'refused by validate' };
    else answer = { ok: true };
    const key = this.keys.rolloutAnswers(id);
    await this.connection.client
      .multi()
      .hset(key, this.options.nodeId, JSON.stringify(answer))
      .pexpire(key, ROLLOUT_ANSWERS_TTL_MS)
      .exec();
    this.answered.add(id);
  }

  private async candidateOf(group: string): Promise<Record<string, unknown> | null> {
    return parseConfig(await this.connection.client.hget(this.keys.rollout(group), 'candidate'));
  }

  /** One turn of the node's pipeline (skipped while Redis is away: the next check will do). */
  private enqueue(work: (apply: ApplyInput) => Promise<void>): Promise<void> {
    return this.pipeline
      .run((apply) => (this.stopped || !this.connection.ready ? undefined : work(apply)))
      .then(
        () => undefined,
        (error: Error) => this.logger.debug(`Rollout check skipped: ${error.message}`),
      );
  }
}

function parseConfig(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : null;
  } catch {
    return null;
  }
}
