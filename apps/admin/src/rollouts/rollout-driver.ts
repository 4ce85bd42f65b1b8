import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Cluster, type Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { CoalescingRun } from '../common/coalescing-run';
import { AdminEnvironments, type EnvironmentContext } from '../environments/admin-environments';
import { RolloutService } from './rollout.service';
import { ROLLOUT_SETTINGS, RolloutSettings } from './rollout.settings';

/**
 * Runs the timed part of rollouts: bakes, next steps, promotion after the last bake, the rollback
 * when a canary reports a problem (at once: it listens to `{ns}:rollouts`), and the resumption of
 * whatever was running when an admin stopped (every time is stored in Redis, on Redis's clock).
 *
 * Only the admin holding the driver lease (`{ns}:rollout-driver`, SET PX, renewed each tick) drives;
 * every move is a checked transition anyway, so even two drivers could not advance one step twice.
 */
@Injectable()
export class RolloutDriver implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Rollouts');
  /** This admin process, as the lease names it. */
  readonly driverId = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private readonly subscribers: (Redis | Cluster)[] = [];
  private stopped = false;
  private readonly ticks = new CoalescingRun(() => this.tick());

  constructor(
    private readonly environments: AdminEnvironments,
    private readonly service: RolloutService,
    @Inject(ROLLOUT_SETTINGS) private readonly settings: RolloutSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.service.onStarted = () => this.poke();
    for (const environment of this.environments.all()) this.listen(environment);
    this.timer = setInterval(() => this.poke(), this.settings.tickMs);
    this.timer.unref();
    this.poke(); // resume what was running when the last driver stopped
  }

  /** A problem reported by a canary of that environment is acted on at once, not at the next tick. */
  private listen({ name, redis, rollouts }: EnvironmentContext): void {
    try {
      const client = redis.client;
      // Resubscribed here after a reconnect, with a handler: ioredis's auto-resubscribe leaves
      // its SUBSCRIBE unhandled when the connection drops again (redis/ioredis#2187).
      const subscriber =
        client instanceof Cluster
          ? client.duplicate(undefined, { enableOfflineQueue: true })
          : client.duplicate({ enableOfflineQueue: true, autoResubscribe: false });
      subscriber.on('error', () => undefined); // the command client logs outages
      let connectedBefore = false;
      subscriber.on('ready', () => {
        if (connectedBefore && !(subscriber instanceof Cluster))
          subscriber.subscribe(rollouts.channel).catch(() => undefined);
        connectedBefore = true;
      });
      subscriber.on('message', (channel: string, text: string) => {
        if (channel !== rollouts.channel) return;
        if (rollouts.isProblemMessage(text)) this.poke();
      });
      subscriber.subscribe(rollouts.channel).catch(() => undefined);
      this.subscribers.push(subscriber);
    } catch (error) {
      this.logger.warn(
        `Rollout problems in "${name}" are seen at each tick only: ${(error as Error).message}`,
      );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticks.stop();
    for (const { rollouts } of this.environments.all())
      await rollouts.releaseDriverLease(this.driverId).catch(() => undefined);
    for (const subscriber of this.subscribers.splice(0))
      await subscriber.quit().catch(() => subscriber.disconnect());
  }

  /** A tick now (several asks while one runs make one more). */
  poke(): void {
    if (!this.stopped) this.ticks.ask();
  }

  /** Each environment in turn, in its own scope (the service reads the current one). */
  private async tick(): Promise<void> {
    for (const environment of this.environments.all()) {
      if (this.stopped) return;
      await this.environments.run(environment, () => this.tickIn(environment));
    }
  }

  private async tickIn({ name, rollouts }: EnvironmentContext): Promise<void> {
    try {
      const failures = await rollouts.driveAll(this.driverId, {
        leaseMs: this.settings.driverLeaseMs,
        verifyMs: this.settings.verifyMs,
        stopped: () => this.stopped,
      });
      for (const { group, error } of failures)
        this.logger.warn(`Rollout of "${group}" (${name}) not driven this tick: ${error.message}`);
    } catch (error) {
      this.logger.debug(`Rollout tick skipped: ${(error as Error).message}`);
    }
  }
}
