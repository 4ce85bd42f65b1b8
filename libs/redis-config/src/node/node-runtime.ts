import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import { ConfigPipeline } from './config-pipeline';
import { GroupFollower } from './group-follower';
import { NodeControl } from './node-control';
import { PeriodicCheck } from './periodic-check';
import { RolloutParticipant } from './rollout-participant';
import { SharedGroupFollower } from './shared-group-follower';

/**
 * Starts and stops the node's input sources around its one `ConfigPipeline`: the rollout channel
 * first, then the first load (bootstrap waits for it), the periodic checks
 * and rollouts after it; at shutdown, every source stops, the last turn ends, the place is freed.
 */
@Injectable()
export class NodeRuntime
  extends NodeControl
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  /**
   * The one place `node: false` is looked at. Until node and publisher are separate modules, an
   * app that only administers groups (the admin, the CLI) still builds the node's providers: they
   * stay inert, as nothing starts them (the node's metrics ask here too).
   */
  readonly active: boolean;

  /** @internal Built by Nest's injector. */
  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) options: ResolvedRedisConfigOptions,
    private readonly pipeline: ConfigPipeline,
    private readonly follower: GroupFollower,
    private readonly shared: SharedGroupFollower,
    private readonly rollouts: RolloutParticipant,
    private readonly periodic: PeriodicCheck,
  ) {
    super();
    this.active = options.node;
  }

  get canary(): boolean {
    return this.rollouts.canary;
  }

  refresh(): Promise<void> {
    return this.follower.refresh();
  }

  reportProblem(message: string): Promise<void> {
    return this.rollouts.reportProblem(message);
  }

  /** Bootstrap waits here until the group is loaded, or the start-up timeout has passed. */
  async onModuleInit(): Promise<void> {
    if (!this.active) return;
    this.rollouts.subscribe();
    await this.follower.start();
  }

  /** After the first load: a node restarting mid-canary resumes. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.active) return;
    this.periodic.start();
    this.follower.followChecks();
    await this.rollouts.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.active) return;
    this.periodic.stop();
    this.follower.stop();
    this.shared.stop();
    this.rollouts.stop();
    await this.pipeline.stop();
    await this.follower.release();
  }
}
