import { Inject, Injectable, Logger } from '@nestjs/common';
import { Observable, Subject, Subscription } from 'rxjs';
import { GroupAssigner } from '../assignment/group-assigner';
import { RedisConfigConnection } from '../connection/redis-config-connection';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import { ConfigKeys } from '../wire/config-keys';
import {
  NodeCheck,
  nodeCheckArgs,
  nodeCheckKeys,
  NodeCheckRequest,
  parseNodeCheck,
} from '../wire/node-check';
import { NodeState } from './node-state';

/**
 * The node's periodic check (the safety net for writes and rollout moves that sent no message,
 * DESIGN §4): the digests of its groups and the rollout of the group it holds, in one small reply.
 * Run by the heartbeat of the node's lease (`GroupAssigner.checks()`: one Redis call per period,
 * on the beats due for it, about every `refreshMs`); while no heartbeat runs (before the first decision, or an
 * assigner that keeps no lease), by this class itself every `refreshMs` (`NODE_TICK_LUA`).
 * The follower and the rollout participant act on `checks$`; neither calls Redis on a timer.
 * Started and stopped by `NodeRuntime`.
 */
@Injectable()
export class PeriodicCheck {
  private readonly logger = new Logger('RedisConfig');
  private readonly results = new Subject<NodeCheck>();
  private timer: NodeJS.Timeout | null = null;
  private subscription: Subscription | null = null;
  private ticking = false;
  private stopped = false;

  /** Every periodic check's result, from the heartbeat or the fallback tick. */
  readonly checks$: Observable<NodeCheck> = this.results.asObservable();

  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
    private readonly state: NodeState,
    private readonly assigner: GroupAssigner,
  ) {}

  start(): void {
    this.subscription = this.assigner.checks().subscribe((check) => this.emit(check));
    this.timer = setInterval(() => void this.tick(), this.options.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.subscription?.unsubscribe();
  }

  /** What a check asks now: the group held, the one asked for, the shared ones. */
  request(): NodeCheckRequest {
    return {
      nodeId: this.options.nodeId,
      held: this.state.current?.name ?? '',
      requested: this.options.group,
      shared: this.options.sharedGroups,
    };
  }

  /** The fallback: only while no heartbeat carries the check. */
  private async tick(): Promise<void> {
    if (this.stopped || this.ticking || this.assigner.checking || !this.connection.ready) return;
    this.ticking = true;
    try {
      const request = this.request();
      const keys = [this.keys.groups, ...nodeCheckKeys(this.keys, request)];
      const askedAt = performance.now();
      const reply = await this.connection.client.rccNodeTick(
        keys.length,
        ...keys,
        request.nodeId,
        ...nodeCheckArgs(request),
      );
      this.emit(parseNodeCheck(request, askedAt, reply));
    } catch (error) {
      this.logger.debug(`Refresh skipped: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  private emit(check: NodeCheck): void {
    if (!this.stopped) this.results.next(check);
  }
}
