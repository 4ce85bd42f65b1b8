import {
  BeforeApplicationShutdown,
  Injectable,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { RedisConfigConnection } from '../connection/redis-config-connection';
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
  /** @internal Built by Nest's injector. */
  constructor(
    private readonly pipeline: ConfigPipeline,
    private readonly follower: GroupFollower,
    private readonly shared: SharedGroupFollower,
    private readonly rollouts: RolloutParticipant,
    private readonly periodic: PeriodicCheck,
    private readonly connection: RedisConfigConnection,
  ) {
    super();
  }

  get canary(): boolean {
    return this.rollouts.canary;
  }

  get connected$(): Observable<boolean> {
    return this.connection.ready$;
  }

  refresh(): Promise<void> {
    return this.follower.refresh();
  }

  reportProblem(message: string): Promise<void> {
    return this.rollouts.reportProblem(message);
  }

  /** Bootstrap waits here until the group is loaded, or the start-up timeout has passed. */
  async onModuleInit(): Promise<void> {
    this.rollouts.subscribe();
    await this.follower.start();
  }

  /** After the first load: a node restarting mid-canary resumes. */
  async onApplicationBootstrap(): Promise<void> {
    this.periodic.start();
    this.follower.followChecks();
    await this.rollouts.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.periodic.stop();
    this.follower.stop();
    this.shared.stop();
    this.rollouts.stop();
    await this.pipeline.stop();
    await this.follower.release();
  }
}
