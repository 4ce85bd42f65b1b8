import { ChangeStore } from '../changes/change-store';
import { AdminEnvironments } from '../environments/admin-environments';
import { Controller, Get, Inject, Logger, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ConfigGroupStore, NodeRegistry, RolloutEngine } from '@rcc/redis-config/publisher';
import type { Request, Response } from 'express';
import { AdminTokenRegistry } from '../auth/admin-token-registry';
import { Public } from '../auth/public.decorator';
import { AdminMetrics } from './admin-metrics';
import { METRICS_SETTINGS, MetricsSettings } from './metrics.settings';

/**
 * How long one reading of the fleet serves scrapes: an open `/metrics` must not be a way to make
 * the admin read the whole groups hash at any rate a stranger likes.
 */
export const FLEET_READ_TTL_MS = 1000;

/**
 * `GET /metrics` for Prometheus, outside `/api`: not behind ADMIN_TOKEN (a scraper should not hold
 * a token that reads API keys), but behind METRICS_TOKEN when one is set. The fleet figures are
 * read at most once per {@link FLEET_READ_TTL_MS}, whatever the scrape rate.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly logger = new Logger('Metrics');
  private readonly tokens: AdminTokenRegistry | null;
  /** The latest reading of the fleet (done or in flight): scrapes within its TTL share it. */
  private fleetRead: { startedAt: number; changes: number; done: Promise<void> } | null = null;

  constructor(
    private readonly metrics: AdminMetrics,
    private readonly store: ConfigGroupStore,
    private readonly nodes: NodeRegistry,
    private readonly rollouts: RolloutEngine,
    @Inject(METRICS_SETTINGS) settings: MetricsSettings,
    private readonly environments: AdminEnvironments,
    private readonly changes: ChangeStore,
  ) {
    this.tokens = settings.token
      ? new AdminTokenRegistry([{ label: 'metrics', token: settings.token }])
      : null;
  }

  @Get()
  async scrape(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (this.tokens) {
      const token = AdminTokenRegistry.bearerToken(request.headers.authorization);
      if (token === null || this.tokens.match(token) === null) {
        response.setHeader('WWW-Authenticate', 'Bearer realm="rcc-metrics"');
        throw new UnauthorizedException('/metrics needs "Authorization: Bearer <METRICS_TOKEN>"');
      }
    }
    await Promise.all([this.freshFleet(), this.countPendingChanges()]);
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.setHeader('Cache-Control', 'no-store');
    // end(), not send(): send() would rewrite the content type prom-client gives.
    response.end(await this.metrics.registry.metrics());
  }

  /** Pending change requests of each environment: one HVALS of its status hash. */
  private async countPendingChanges(): Promise<void> {
    await Promise.all(
      this.environments.all().map(async (env) => {
        try {
          this.metrics.pendingChanges.set({ env: env.name }, await this.changes.pendingCount(env));
        } catch {
          this.metrics.pendingChanges.remove({ env: env.name });
        }
      }),
    );
  }

  private freshFleet(): Promise<void> {
    const now = Date.now();
    const changes = this.metrics.changesSeen;
    // A write through this admin shows at once; others' (nodes, the CLI) within the TTL.
    if (
      !this.fleetRead ||
      this.fleetRead.changes !== changes ||
      now - this.fleetRead.startedAt >= FLEET_READ_TTL_MS
    ) {
      this.fleetRead = { startedAt: now, changes, done: this.readFleet() };
    }
    return this.fleetRead.done;
  }

  /**
   * The fleet figures are read at scrape time: two reads, whatever the number of writes, and one
   * pipeline for the latest rollout of each group.
   */
  private async readFleet(): Promise<void> {
    try {
      const [groups, nodes] = await Promise.all([this.store.list(), this.nodes.list()]);
      this.metrics.setFleet(groups, nodes);
      this.metrics.setRollouts(await this.rollouts.countByStatus(groups.map((g) => g.name)));
    } catch (error) {
      // Redis down: the scrape still answers, with rcc_admin_redis_connected 0 and no fleet series.
      this.metrics.clearFleet();
      this.logger.debug(`Fleet figures skipped: ${(error as Error).message}`);
    }
  }
}
