import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ConfigDict } from '@rcc/redis-config';
import {
  ConfigGroupNotFoundError,
  ConfigGroupStore,
  ConfigVersionConflictError,
  NodeInfo,
  NodeRegistry,
  RolloutProblem,
  RolloutRunningError,
  RolloutState,
  RolloutStatus,
  RolloutStep,
  RolloutStore,
  StoredRollout,
} from '@rcc/redis-config/publisher';
import { randomBytes } from 'node:crypto';
import type { AuditAction } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log';
import { AdminEnvironments } from '../environments/admin-environments';
import { ConfigWrites } from '../webhooks/config-writes';
import { ChangeGate } from '../changes/change-gate';
import { RolloutEventType, rolloutEvent } from '../webhooks/webhook-event';
import { chooseCanaries } from './canary-choice';
import { ROLLOUT_SETTINGS, RolloutSettings } from './rollout.settings';

/** What starts a rollout (REST body, message pattern, CLI). */
export interface RolloutRequest {
  /** `promote` for a promotion with steps (the change request's kind, in a protected env). */
  action?: 'rollout' | 'promote';
  config: ConfigDict;
  expectedVersion?: number;
  steps?: RolloutStep[];
  comment?: string;
  author: string;
}

/** A stored rollout and the live holders of its group (which node runs which version). */
export interface RolloutReading extends StoredRollout {
  nodes: NodeInfo[];
}

const RUNNING: readonly RolloutStatus[] = ['verifying', 'canary'];

/**
 * The rollout state machine (DESIGN §13) over the library's `RolloutStore`. Every move is a Lua
 * transition from the status and step it was decided on, so whoever loses a race (another
 * request, another admin) just reads the new state; the timed moves are `RolloutDriver`'s.
 */
@Injectable()
export class RolloutService {
  private readonly logger = new Logger('Rollouts');
  /** Asked after each start, so the driver looks at once instead of at its next tick. */
  onStarted: (() => void) | null = null;

  constructor(
    private readonly environments: AdminEnvironments,
    private readonly writes: ConfigWrites,
    private readonly audit: AuditLog,
    @Inject(ROLLOUT_SETTINGS) private readonly settings: RolloutSettings,
    private readonly gate: ChangeGate,
  ) {}

  // The environment the request asked for, or the one the driver drives (`?env=`, DESIGN §19).
  private get rollouts(): RolloutStore {
    return this.environments.current().rollouts;
  }

  private get groups(): ConfigGroupStore {
    return this.environments.current().store;
  }

  private get nodes(): NodeRegistry {
    return this.environments.current().nodes;
  }

  /** Verifies the candidate with every live holder, then starts the canary (or promotes). */
  async start(group: string, request: RolloutRequest): Promise<RolloutReading> {
    const stable = await this.groups.get(group);
    if (!stable) throw new ConfigGroupNotFoundError(group);
    if (request.expectedVersion !== undefined && request.expectedVersion !== stable.version) {
      throw new ConfigVersionConflictError(group, request.expectedVersion, stable.version);
    }
    await this.gate.pass(() => ({
      action: request.action ?? 'rollout',
      group,
      author: request.author,
      baseVersion: stable.version,
      before: stable.config,
      after: request.config,
      payload: { config: request.config, steps: request.steps, comment: request.comment },
    }));
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
    await this.announce('rollout.started', state, [], []);
    const { problems, asked } = await this.verify(state);
    if (problems.length > 0) {
      await this.end(state, 'rejected', `refused by ${problems.length} node(s)`, problems);
      throw new UnprocessableEntityException({
        message:
          `Rollout of "${group}" rejected: ${problems.length} node(s) refused the candidate or ` +
          'did not answer; nothing changed',
        problems: problems.map(({ nodeId, reason }) => ({ nodeId, reason })),
      });
    }
    if (state.steps.length === 0)
      await this.promoteFrom(state, `once verified by ${asked} holder(s) (no steps)`);
    else await this.nextStep(state, []);
    this.onStarted?.();
    return this.read(group);
  }

  /** The stable config of the group (what masked secrets of a candidate stand for). */
  async stableOf(group: string): Promise<ConfigDict | null> {
    return (await this.groups.get(group))?.config ?? null;
  }

  /** Refuses a write to a group whose rollout runs: it would give the candidate's number away. */
  async assertNoneRunning(group: string): Promise<void> {
    const id = await this.rollouts.runningId(group);
    if (id !== null) throw new RolloutRunningError(group, id);
  }

  /** The latest rollout of the group, running or finished. */
  async read(group: string): Promise<RolloutReading> {
    const reading = await this.latest(group);
    if (!reading) throw new NotFoundException(`Config group "${group}" has no rollout`);
    return reading;
  }

  /** The latest rollout of the group, or null when it never had one (no such group: 404). */
  async latest(group: string): Promise<RolloutReading | null> {
    const [stored, nodes] = await Promise.all([this.rollouts.read(group), this.nodes.list()]);
    if (!stored) {
      if (!(await this.groups.get(group))) throw new ConfigGroupNotFoundError(group);
      return null;
    }
    return { ...stored, nodes: nodes.filter((node) => node.group === group) };
  }

  /** Finishes now: the candidate becomes the group's next version everywhere. */
  async promote(group: string, author: string): Promise<RolloutReading> {
    const { state } = await this.running(group);
    // Verification is never skipped: a rollout is promoted from its canary only.
    if (state.status !== 'canary') {
      throw new ConflictException(
        `Rollout ${state.id} of "${group}" is still verifying: promote it once its canary runs`,
      );
    }
    const moved = await this.promoteFrom(state, `by ${author}`);
    if (!moved) throw this.notWhereItWas(group);
    return this.read(group);
  }

  /** Stops now: canary nodes return to the stable version. */
  async abort(group: string, author: string): Promise<RolloutReading> {
    const { state } = await this.running(group);
    if (!(await this.end(state, 'aborted', `aborted by ${author}`)))
      throw this.notWhereItWas(group);
    return this.read(group);
  }

  /** One look at a running rollout: what is due (the driver calls this on every tick). */
  async drive(group: string): Promise<void> {
    const stored = await this.rollouts.read(group);
    if (!stored) return;
    const { state, problems } = stored;
    const now = await this.rollouts.now();
    if (state.status === 'verifying') {
      // The admin that started it stopped before it decided: verification cannot finish.
      if (now - state.startedAtMs > this.settings.verifyMs * 2 + 10_000) {
        await this.end(state, 'rejected', 'verification was interrupted (its admin stopped)');
      }
    } else if (state.status === 'canary') {
      if (problems.length > 0) {
        if (await this.rollBack(stored)) await this.recordMove('rollout-rolled-back', state);
      } else if (now >= (state.stepStartedAtMs ?? now) + state.steps[state.step - 1].bakeMs) {
        if (state.step < state.steps.length) {
          if (await this.nextStep(state, stored.canaryNodes))
            await this.recordMove('rollout-step', { ...state, step: state.step + 1 });
        } else if (await this.promoteFrom(state, 'after the last bake')) {
          await this.recordMove('rollout-promoted', state);
        }
      }
    } else if (state.status === 'promoted' && !state.published) {
      await this.publishPromoted(state, stored.candidate);
    }
  }

  /** A canary reported a problem: rolled back at once, its message kept in the view. */
  async rollBack(stored: StoredRollout): Promise<boolean> {
    const first = stored.problems[0];
    return this.end(
      stored.state,
      'rolled-back',
      first ? `problem on ${first.nodeId}: ${first.reason}` : 'rolled back',
    );
  }

  /** Moves to the next step (or the first, from verifying): its canaries, its bake from now. */
  private async nextStep(state: RolloutState, chosen: string[]): Promise<boolean> {
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
    const moved = await this.rollouts.advance(state, next, { canaryNodes, refuseOnProblem: true });
    if (moved === 'moved') {
      await this.announce('rollout.step', next, canaryNodes, []);
      return true;
    }
    if (moved === 'problem') {
      const stored = await this.rollouts.read(state.group);
      if (stored) await this.rollBack(stored);
    }
    return false;
  }

  /** Promoted (one transition, refused while a problem is recorded), then written. */
  private async promoteFrom(state: RolloutState, how: string): Promise<boolean> {
    const next: RolloutState = {
      ...state,
      status: 'promoted',
      finishedAtMs: await this.rollouts.now(),
      outcome: `promoted ${how}`,
    };
    const moved = await this.rollouts.advance(state, next, { refuseOnProblem: true });
    if (moved === 'problem') {
      const stored = await this.rollouts.read(state.group);
      if (stored) await this.rollBack(stored);
      return false;
    }
    if (moved === 'stale') return false;
    const stored = await this.rollouts.read(state.group);
    await this.publishPromoted(next, stored?.candidate ?? {});
    return true;
  }

  /**
   * Writes a promoted candidate as the group's next version through the ordinary publish (the
   * old layout: the old project's nodes get it now), then marks it written. Idempotent: an admin
   * that resumes after a crash in between finds the version already there.
   */
  private async publishPromoted(state: RolloutState, candidate: ConfigDict): Promise<void> {
    const author = state.author ?? 'rollout';
    try {
      const written = await this.groups.publish(state.group, candidate, {
        expectedVersion: state.baseVersion,
        author,
        comment: `rollout ${state.id}${state.comment ? `: ${state.comment}` : ''}`,
      });
      await this.writes.record({
        kind: 'published',
        group: state.group,
        version: written.version,
        author,
      });
    } catch (error) {
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
      await this.announce('rollout.promoted', state, stored?.canaryNodes ?? [], []);
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
      const type: RolloutEventType =
        status === 'rejected'
          ? 'rollout.rejected'
          : status === 'aborted'
            ? 'rollout.aborted'
            : 'rollout.rolled-back';
      await this.announce(
        type,
        stored?.state ?? next,
        stored?.canaryNodes ?? [],
        stored?.problems ?? [],
      );
      this.logger.log(`Rollout ${state.id} of "${state.group}" ${status}: ${outcome}`);
    }
    return ended;
  }

  /** Waits for every live holder's answer (own or shared group), up to RCC_ROLLOUT_VERIFY_MS. */
  private async verify(
    state: RolloutState,
  ): Promise<{ problems: RolloutProblem[]; asked: number }> {
    const asked = (await this.nodes.list())
      .filter(
        (node) => node.group === state.group || node.shared.some((s) => s.name === state.group),
      )
      .map((node) => node.id);
    const deadline = Date.now() + this.settings.verifyMs;
    let answers = await this.rollouts.answers(state.id);
    let askedAgain = false;
    while (asked.some((id) => !answers.has(id)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (!askedAgain && Date.now() > deadline - this.settings.verifyMs / 2) {
        askedAgain = true; // a message lost on the way
        await this.rollouts.askToVerify(state);
      }
      answers = await this.rollouts.answers(state.id);
    }
    const now = await this.rollouts.now();
    const problems: RolloutProblem[] = [];
    for (const id of asked) {
      const answer = answers.get(id);
      if (!answer) {
        if (![...answers.values()].some((a) => !a.ok))
          problems.push({
            nodeId: id,
            reason: `no answer within ${this.settings.verifyMs} ms`,
            atMs: now,
          });
      } else if (!answer.ok) problems.push({ nodeId: id, reason: answer.reason, atMs: now });
    }
    return { problems, asked: asked.length };
  }

  private async running(group: string): Promise<StoredRollout> {
    const stored = await this.rollouts.read(group);
    if (!stored) {
      if (!(await this.groups.get(group))) throw new ConfigGroupNotFoundError(group);
      throw new NotFoundException(`Config group "${group}" has no rollout`);
    }
    if (!RUNNING.includes(stored.state.status)) {
      throw new ConflictException(
        `Rollout ${stored.state.id} of "${group}" is ${stored.state.status}, not running`,
      );
    }
    return stored;
  }

  /** A move the driver made on its own (no request to audit): recorded as the driver's. */
  private async recordMove(action: AuditAction, state: RolloutState): Promise<void> {
    await this.audit.record({
      action,
      actor: 'rollout-driver',
      role: null,
      address: null,
      method: '-',
      path: `(rollout ${state.id}, step ${state.step})`,
      status: 200,
      group: state.group,
      fromVersion: state.baseVersion,
      toVersion: state.version,
      keys: [],
    });
  }

  private notWhereItWas(group: string): ConflictException {
    return new ConflictException(`The rollout of "${group}" moved meanwhile: read it again`);
  }

  private async announce(
    type: RolloutEventType,
    state: RolloutState,
    canaryNodes: string[],
    problems: RolloutProblem[],
  ): Promise<void> {
    await this.writes.announce(
      rolloutEvent(
        type,
        {
          id: state.id,
          group: state.group,
          version: state.version,
          status: state.status,
          step: state.step,
          canaryNodes,
          problems: problems.map(({ nodeId, reason }) => ({ nodeId, reason })),
        },
        state.author,
        this.rollouts.namespace,
      ),
    );
  }
}
