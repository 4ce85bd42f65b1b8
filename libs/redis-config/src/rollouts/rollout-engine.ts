import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { NodeRegistry } from '../assignment/node-registry';
import {
  ConfigGroupNotFoundError,
  ConfigVersionConflictError,
  RolloutRejectedError,
  RolloutStateError,
} from '../errors';
import { registerPublisherProvider } from '../utils/publisher-registry';
import type { ConfigDict } from '../wire/config-group-record';
import {
  parseRolloutMessage,
  RolloutProblem,
  RolloutState,
  RolloutStatus,
  RolloutStep,
} from '../wire/rollout-state';
import { chooseCanaries } from './canary-choice';
import { ConfigGroupStore } from '../store/config-group.store';
import { RolloutStore, StoredRollout } from '../store/rollout-store';

/** What starts a rollout. */
export interface RolloutRequest {
  /** The candidate: the group's whole own config as it would become. */
  config: ConfigDict;
  /** The group's version the caller read; another stored version throws a conflict. */
  expectedVersion?: number;
  /** Canary steps; none: promoted as soon as every holder verified it. */
  steps?: RolloutStep[];
  comment?: string;
  author: string;
  /** How long verification waits for every holder's answer (ms). */
  verifyMs: number;
}

/** A move of a rollout, told to {@link RolloutEngine.onMove} listeners (webhooks, audit). */
export interface RolloutMove {
  type: 'started' | 'step' | 'promoted' | 'rolled-back' | 'aborted' | 'rejected';
  state: RolloutState;
  canaryNodes: string[];
  problems: RolloutProblem[];
  /** True when the timed driver made it ({@link RolloutEngine.drive}), not a request. */
  driven: boolean;
  /** For `promoted`: the version the candidate was written at (null: someone else wrote it). */
  writtenVersion?: number | null;
}

const RUNNING: readonly RolloutStatus[] = ['verifying', 'canary'];
/** How long a verification left by a stopped admin may stay unanswered before it is rejected. */
const INTERRUPTED_VERIFY_GRACE_MS = 10_000;

/**
 * The rollout state machine (DESIGN §13): start, promote, abort, and drive (the timed moves).
 * Every state it stores is one it computed from the stored state it moves from, through a Lua
 * transition that checks that state first, so a caller cannot write an invalid state and
 * whoever loses a race (another request, another admin) just reads the new state.
 */
@Injectable()
export class RolloutEngine {
  private readonly logger = new Logger('Rollouts');
  private readonly listeners = new Set<(move: RolloutMove) => void | Promise<void>>();

  /** @internal Built by Nest's injector, or by `createConfigGroupStore()`. */
  constructor(
    private readonly rollouts: RolloutStore,
    private readonly groups: ConfigGroupStore,
    private readonly nodes: NodeRegistry,
  ) {}

  /** The namespace (`RCC_NAMESPACE`) these rollouts belong to. */
  get namespace(): string {
    return this.rollouts.namespace;
  }

  /** The rollouts channel: a `problem` message there asks for {@link RolloutEngine.drive} at once. */
  get channel(): string {
    return this.rollouts.channel;
  }

  /** True for a canary's problem report on {@link RolloutEngine.channel}. */
  isProblemMessage(text: string): boolean {
    return parseRolloutMessage(text)?.type === 'problem';
  }

  /** Tells `listener` every move from now on (awaited in order); returns how to stop. */
  onMove(listener: (move: RolloutMove) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Verifies the candidate with every live holder (own or shared group), then starts the first
   * canary step, or promotes it when there are no steps.
   *
   * @throws {@link ConfigGroupNotFoundError}, {@link ConfigVersionConflictError},
   * {@link RolloutRunningError}, or {@link RolloutRejectedError} when a node refused it.
   */
  async start(group: string, request: RolloutRequest): Promise<StoredRollout> {
    const stable = await this.groups.get(group);
    if (!stable) throw new ConfigGroupNotFoundError(group);
    if (request.expectedVersion !== undefined && request.expectedVersion !== stable.version) {
      throw new ConfigVersionConflictError(group, request.expectedVersion, stable.version);
    }
    const now = await this.rollouts.now();
    const state: RolloutState = {
      id: `${now.toString(36)}-${randomBytes(4).toString('hex')}`,
      group,
      baseVersion: stable.version,
      version: stable.version + 1,
      status: 'verifying',
      step: 0,
      steps: request.steps ?? [],
      startedAtMs: now,
      stepStartedAtMs: now,
      finishedAtMs: null,
      published: false,
      revertedVersion: null,
      author: request.author,
      comment: request.comment ?? null,
      outcome: null,
    };
    await this.rollouts.begin(state, request.config);
    await this.tell({ type: 'started', state, canaryNodes: [], problems: [], driven: false });
    const { problems, asked } = await this.verify(state, request.verifyMs);
    if (problems.length > 0) {
      await this.end(state, 'rejected', `refused by ${problems.length} node(s)`, false, problems);
      throw new RolloutRejectedError(
        group,
        problems.map(({ nodeId, reason }) => ({ nodeId, reason })),
      );
    }
    if (state.steps.length === 0)
      await this.promoteFrom(state, `once verified by ${asked} holder(s) (no steps)`, false);
    else await this.nextStep(state, [], false);
    return this.readOrThrow(group);
  }

  /**
   * Promotes a running canary now: the candidate becomes the group's next version everywhere.
   * @throws {@link RolloutStateError} when it is not a running canary.
   */
  async promote(group: string, by: string): Promise<StoredRollout> {
    const { state } = await this.runningRollout(group);
    // Verification is never skipped: a rollout is promoted from its canary only.
    if (state.status !== 'canary') {
      throw new RolloutStateError(
        group,
        'verifying',
        `Rollout ${state.id} of "${group}" is still verifying: promote it once its canary runs`,
      );
    }
    if (!(await this.promoteFrom(state, `by ${by}`, false))) throw moved(group);
    return this.readOrThrow(group);
  }

  /**
   * Stops a running rollout now: canary nodes return to the stable version.
   * @throws {@link RolloutStateError} when it is not running.
   */
  async abort(group: string, by: string): Promise<StoredRollout> {
    const { state } = await this.runningRollout(group);
    if (!(await this.end(state, 'aborted', `aborted by ${by}`, false))) throw moved(group);
    return this.readOrThrow(group);
  }

  /**
   * One look at a group's running rollout: whatever is due is done (rollback on a problem, the
   * next step or the promotion after a bake, a promotion left unwritten, a verification its
   * admin left). Called by whoever holds the driver lease ({@link RolloutEngine.driveAll}).
   */
  async drive(group: string, verifyMs: number): Promise<void> {
    const stored = await this.rollouts.read(group);
    if (!stored) return;
    const { state, problems } = stored;
    const now = await this.rollouts.now();
    if (state.status === 'verifying') {
      if (now - state.startedAtMs > verifyMs * 2 + INTERRUPTED_VERIFY_GRACE_MS) {
        await this.end(state, 'rejected', 'verification was interrupted (its admin stopped)', true);
      }
    } else if (state.status === 'canary') {
      if (problems.length > 0) await this.rollBack(stored, true);
      else if (now >= (state.stepStartedAtMs ?? now) + state.steps[state.step - 1].bakeMs) {
        if (state.step < state.steps.length) await this.nextStep(state, stored.canaryNodes, true);
        else await this.promoteFrom(state, 'after the last bake', true);
      }
    } else if (state.status === 'promoted' && !state.published) {
      await this.publishPromoted(state, stored.candidate, true);
    }
  }

  /**
   * Drives every running rollout if `holder` holds (or takes) the namespace's driver lease;
   * returns the errors of the groups it could not drive this time.
   */
  async driveAll(
    holder: string,
    options: { leaseMs: number; verifyMs: number; stopped?: () => boolean },
  ): Promise<{ group: string; error: Error }[]> {
    if (!(await this.rollouts.holdDriverLease(holder, options.leaseMs))) return [];
    const failures: { group: string; error: Error }[] = [];
    for (const group of await this.rollouts.running()) {
      if (options.stopped?.()) break;
      try {
        await this.drive(group, options.verifyMs);
      } catch (error) {
        failures.push({ group, error: error as Error });
      }
    }
    return failures;
  }

  /** Gives the driver lease up (a clean shutdown: another admin takes over at once). */
  releaseDriverLease(holder: string): Promise<void> {
    return this.rollouts.releaseDriverLease(holder);
  }

  /** The group's latest rollout, running or finished; null when it never had one. */
  read(group: string): Promise<StoredRollout | null> {
    return this.rollouts.read(group);
  }

  /** The id of the group's rollout when one has not ended; null otherwise. */
  runningId(group: string): Promise<string | null> {
    return this.rollouts.runningId(group);
  }

  /** Groups whose rollout has not ended. */
  running(): Promise<string[]> {
    return this.rollouts.running();
  }

  /** How many groups' latest rollouts are in each status (every status listed). */
  countByStatus(groups: readonly string[]): Promise<Record<RolloutStatus, number>> {
    return this.rollouts.countByStatus(groups);
  }

  private async readOrThrow(group: string): Promise<StoredRollout> {
    const stored = await this.rollouts.read(group);
    if (!stored)
      throw new RolloutStateError(group, 'none', `Config group "${group}" has no rollout`);
    return stored;
  }

  private async runningRollout(group: string): Promise<StoredRollout> {
    const stored = await this.rollouts.read(group);
    if (!stored) {
      if (!(await this.groups.get(group))) throw new ConfigGroupNotFoundError(group);
      throw new RolloutStateError(group, 'none', `Config group "${group}" has no rollout`);
    }
    if (!RUNNING.includes(stored.state.status)) {
      throw new RolloutStateError(
        group,
        'not-running',
        `Rollout ${stored.state.id} of "${group}" is ${stored.state.status}, not running`,
      );
    }
    return stored;
  }

  /** A canary reported a problem: rolled back at once, its message kept as the outcome. */
  private rollBack(stored: StoredRollout, driven: boolean): Promise<boolean> {
    const first = stored.problems[0];
    const outcome = first ? `problem on ${first.nodeId}: ${first.reason}` : 'rolled back';
    return this.end(stored.state, 'rolled-back', outcome, driven);
  }

  /** Moves to the next step (or the first, from verifying): its canaries, its bake from now. */
  private async nextStep(state: RolloutState, chosen: string[], driven: boolean): Promise<void> {
    const step = state.step + 1;
    const holders = (await this.nodes.list())
      .filter((node) => node.group === state.group)
      .map((node) => node.id);
    const canaryNodes = chooseCanaries(state.id, holders, state.steps[step - 1].percent, chosen);
    const next: RolloutState = {
      ...state,
      status: 'canary',
      step,
      stepStartedAtMs: await this.rollouts.now(),
    };
    const result = await this.rollouts.advance(state, next, {
      canaryNodes,
      refuseOnProblem: true,
    });
    if (result === 'moved')
      await this.tell({ type: 'step', state: next, canaryNodes, problems: [], driven });
    else if (result === 'problem') await this.rollBackLatest(state.group, driven);
  }

  /** Promoted (one transition, refused while a problem is recorded), then written. */
  private async promoteFrom(state: RolloutState, how: string, driven: boolean): Promise<boolean> {
    const next: RolloutState = {
      ...state,
      status: 'promoted',
      finishedAtMs: await this.rollouts.now(),
      outcome: `promoted ${how}`,
    };
    const result = await this.rollouts.advance(state, next, { refuseOnProblem: true });
    if (result === 'problem') await this.rollBackLatest(state.group, driven);
    if (result !== 'moved') return false;
    const stored = await this.rollouts.read(state.group);
    await this.publishPromoted(next, stored?.candidate ?? {}, driven);
    return true;
  }

  private async rollBackLatest(group: string, driven: boolean): Promise<void> {
    const stored = await this.rollouts.read(group);
    if (stored) await this.rollBack(stored, driven);
  }

  /**
   * Writes a promoted candidate as the group's next version through the ordinary publish (the
   * old layout: the old project's nodes get it now), then marks it written. Idempotent: a driver
   * that resumes after a crash in between finds the version already there.
   */
  private async publishPromoted(
    state: RolloutState,
    candidate: ConfigDict,
    driven: boolean,
  ): Promise<void> {
    let writtenVersion: number | null = null;
    try {
      const written = await this.groups.publish(state.group, candidate, {
        expectedVersion: state.baseVersion,
        author: state.author ?? 'rollout',
        comment: `rollout ${state.id}${state.comment ? `: ${state.comment}` : ''}`,
      });
      writtenVersion = written.version;
    } catch (error) {
      // Written already (a resumed promotion), or the group moved: the rollout ends either way.
      if (!(error instanceof ConfigVersionConflictError)) throw error;
      const current = await this.groups.get(state.group);
      if (current?.version !== state.version || current.comment?.includes(state.id) !== true) {
        this.logger.error(
          `Rollout ${state.id}: "${state.group}" changed meanwhile (now version ` +
            `${current?.version ?? 'none'}); the candidate was not written`,
        );
      }
    }
    if (await this.rollouts.markPublished(state)) {
      const stored = await this.rollouts.read(state.group);
      await this.tell({
        type: 'promoted',
        state: stored?.state ?? state,
        canaryNodes: stored?.canaryNodes ?? [],
        problems: [],
        driven,
        writtenVersion,
      });
    }
  }

  /**
   * Ends a running rollout without promotion. When canaries ran the candidate, the stable
   * content is written again at `baseVersion + 2` (the candidate's number is burned).
   */
  private async end(
    state: RolloutState,
    status: 'rolled-back' | 'aborted' | 'rejected',
    outcome: string,
    driven: boolean,
    problems?: RolloutProblem[],
  ): Promise<boolean> {
    const current = state.step >= 1 ? await this.groups.get(state.group) : null;
    const stable =
      current && current.version === state.baseVersion
        ? {
            config: current.config,
            author: state.author ?? undefined,
            comment: `rollout ${state.id} ${status}: stable content again (version ${state.version} burned)`,
          }
        : null;
    const next: RolloutState = {
      ...state,
      status,
      finishedAtMs: await this.rollouts.now(),
      outcome,
    };
    const { ended } = await this.rollouts.revert(RUNNING, next, stable, problems);
    if (ended) {
      const stored = await this.rollouts.read(state.group);
      await this.tell({
        type: status,
        state: stored?.state ?? next,
        canaryNodes: stored?.canaryNodes ?? [],
        problems: stored?.problems ?? [],
        driven,
      });
    }
    return ended;
  }

  /** Waits for every live holder's answer (own or shared group), up to `verifyMs`. */
  private async verify(
    state: RolloutState,
    verifyMs: number,
  ): Promise<{ problems: RolloutProblem[]; asked: number }> {
    const asked = (await this.nodes.list())
      .filter(
        (node) => node.group === state.group || node.shared.some((s) => s.name === state.group),
      )
      .map((node) => node.id);
    const deadline = Date.now() + verifyMs;
    let answers = await this.rollouts.answers(state.id);
    let askedAgain = false;
    while (asked.some((id) => !answers.has(id)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (!askedAgain && Date.now() > deadline - verifyMs / 2) {
        askedAgain = true; // a message lost on the way
        await this.rollouts.askToVerify(state);
      }
      answers = await this.rollouts.answers(state.id);
    }
    const now = await this.rollouts.now();
    const refused = [...answers.values()].some((answer) => !answer.ok);
    const problems: RolloutProblem[] = [];
    for (const id of asked) {
      const answer = answers.get(id);
      // Silence counts only when nobody refused: a refusal says enough.
      if (!answer && !refused)
        problems.push({ nodeId: id, reason: `no answer within ${verifyMs} ms`, atMs: now });
      else if (answer && !answer.ok)
        problems.push({ nodeId: id, reason: answer.reason, atMs: now });
    }
    return { problems, asked: asked.length };
  }

  private async tell(move: RolloutMove): Promise<void> {
    for (const listener of this.listeners) await listener(move);
  }
}

function moved(group: string): RolloutStateError {
  return new RolloutStateError(
    group,
    'moved',
    `The rollout of "${group}" moved meanwhile: read it again`,
  );
}

// Provided by RedisConfigModule once loaded (see publisher-registry).
registerPublisherProvider(RolloutEngine);
