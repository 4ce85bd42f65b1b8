import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ConfigDict,
  NodeInfo,
  NodeRegistry,
  ConfigGroupNotFoundError,
  ConfigGroupStore,
  ConfigVersionConflictError,
  RolloutEngine,
  RolloutMove,
  RolloutRunningError,
  RolloutStateError,
  type RolloutRequest as EngineRequest,
  StoredRollout,
} from '@rcc/redis-config/publisher';
import type { AuditAction } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log';
import { ChangeGate } from '../changes/change-gate';
import { AdminEnvironments, EnvironmentContext } from '../environments/admin-environments';
import { ConfigWrites } from '../webhooks/config-writes';
import { rolloutEvent } from '../webhooks/webhook-event';
import { ROLLOUT_SETTINGS, RolloutSettings } from './rollout.settings';

/** What starts a rollout (REST body, message pattern, CLI): verification takes the admin's time. */
export type RolloutRequest = Omit<EngineRequest, 'verifyMs'> & {
  /** `promote` for a promotion with steps (the change request's kind, in a protected env). */
  action?: 'rollout' | 'promote';
};

/** A stored rollout and the live holders of its group (which node runs which version). */
export interface RolloutReading extends StoredRollout {
  nodes: NodeInfo[];
}

/** The audit action of a move the driver made on its own (no request to audit it). */
const DRIVEN_ACTIONS: Partial<Record<RolloutMove['type'], AuditAction>> = {
  step: 'rollout-step',
  promoted: 'rollout-promoted',
  'rolled-back': 'rollout-rolled-back',
};

/**
 * The admin's side of rollouts (DESIGN §13): the library's `RolloutEngine` holds the state
 * machine; this adds the admin's settings, the holders of the group to each reading, and turns
 * every move into a webhook (and a driver's move into an audit entry).
 */
@Injectable()
export class RolloutService implements OnApplicationBootstrap {
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
  private get engine(): RolloutEngine {
    return this.environments.current().rollouts;
  }

  private get groups(): ConfigGroupStore {
    return this.environments.current().store;
  }

  private get nodes(): NodeRegistry {
    return this.environments.current().nodes;
  }

  /** Every environment's moves become webhooks (and audit entries) of that environment. */
  onApplicationBootstrap(): void {
    for (const environment of this.environments.all()) {
      environment.rollouts.onMove((move) =>
        this.environments.enter(environment, () => this.announce(move, environment)),
      );
    }
  }

  /**
   * Verifies the candidate with every live holder, then starts the canary (or promotes). In a
   * protected environment it becomes a change request instead (`ChangeGate`).
   */
  async start(group: string, request: RolloutRequest): Promise<RolloutReading> {
    const stable = await this.groups.get(group);
    if (!stable) throw new ConfigGroupNotFoundError(group);
    if (request.expectedVersion !== undefined && request.expectedVersion !== stable.version) {
      throw new ConfigVersionConflictError(group, request.expectedVersion, stable.version);
    }
    const { action, ...rollout } = request;
    await this.gate.pass(() => ({
      action: action ?? 'rollout',
      group,
      author: request.author,
      baseVersion: stable.version,
      before: stable.config,
      after: request.config,
      payload: { config: request.config, steps: request.steps, comment: request.comment },
    }));
    const stored = await this.engine.start(group, {
      ...rollout,
      // The version the gate saw: a write in between is a conflict, not a silent rebase.
      expectedVersion: stable.version,
      verifyMs: this.settings.verifyMs,
    });
    this.onStarted?.();
    return this.withNodes(stored);
  }

  /** The stable config of the group (what masked secrets of a candidate stand for). */
  async stableOf(group: string): Promise<ConfigDict | null> {
    return (await this.groups.get(group))?.config ?? null;
  }

  /** Refuses a write to a group whose rollout runs: it would give the candidate's number away. */
  async assertNoneRunning(group: string): Promise<void> {
    const id = await this.engine.runningId(group);
    if (id !== null) throw new RolloutRunningError(group, id);
  }

  /** The latest rollout of the group, running or finished. */
  async read(group: string): Promise<RolloutReading> {
    const reading = await this.latest(group);
    if (!reading)
      throw new RolloutStateError(group, 'none', `Config group "${group}" has no rollout`);
    return reading;
  }

  /** The latest rollout of the group, or null when it never had one (no such group: 404). */
  async latest(group: string): Promise<RolloutReading | null> {
    const stored = await this.engine.read(group);
    if (!stored) {
      if (!(await this.groups.get(group))) throw new ConfigGroupNotFoundError(group);
      return null;
    }
    return this.withNodes(stored);
  }

  /** Finishes now: the candidate becomes the group's next version everywhere. */
  async promote(group: string, author: string): Promise<RolloutReading> {
    return this.withNodes(await this.engine.promote(group, author));
  }

  /** Stops now: canary nodes return to the stable version. */
  async abort(group: string, author: string): Promise<RolloutReading> {
    return this.withNodes(await this.engine.abort(group, author));
  }

  private async withNodes(stored: StoredRollout): Promise<RolloutReading> {
    const nodes = await this.nodes.list();
    return { ...stored, nodes: nodes.filter((node) => node.group === stored.state.group) };
  }

  private async announce(move: RolloutMove, environment: EnvironmentContext): Promise<void> {
    const { state } = move;
    if (move.type === 'promoted' && move.writtenVersion != null) {
      await this.writes.record({
        kind: 'published',
        group: state.group,
        version: move.writtenVersion,
        author: state.author ?? 'rollout',
      });
    }
    await this.writes.announce(
      rolloutEvent(
        `rollout.${move.type}`,
        {
          id: state.id,
          group: state.group,
          version: state.version,
          status: state.status,
          step: state.step,
          canaryNodes: move.canaryNodes,
          problems: move.problems.map(({ nodeId, reason }) => ({ nodeId, reason })),
        },
        state.author,
        environment.namespace,
      ),
    );
    const action = move.driven ? DRIVEN_ACTIONS[move.type] : undefined;
    if (action) {
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
  }
}
