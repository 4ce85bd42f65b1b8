import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { CoalescingRun } from '../common/coalescing-run';
import { AdminMetrics } from '../metrics/admin-metrics';
import { retryDelayMs } from './retry-delay';
import { isTrustedJob } from './webhook-job-seal';
import { ClaimedJob, SettledOutcome, WebhookQueue } from './webhook-queue';
import { WebhookSender } from './webhook-sender';
import { WEBHOOK_SETTINGS, WebhookSettings } from './webhook.settings';

/** How often an idle admin looks for due deliveries (one small script call). */
const POLL_MS = 250;
/** Deliveries claimed at once by one admin. */
const BATCH = 16;

/**
 * Delivers the queued webhooks, off the write path: polls the queue, POSTs what it claimed, and
 * settles each attempt (delivered, retried later with back-off, or given up). Every admin replica
 * with RCC_WEBHOOKS runs one; the claims make each delivery go out once.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  /** A claim outlives the longest POST: a live admin's delivery is never taken by another. */
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly passes = new CoalescingRun(() => this.pass());

  constructor(
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    private readonly queue: WebhookQueue,
    private readonly sender: WebhookSender,
    private readonly metrics: AdminMetrics,
  ) {
    this.leaseMs = settings.timeoutMs * 2 + 1000;
  }

  onApplicationBootstrap(): void {
    if (this.settings.urls.length === 0) return;
    if (!this.settings.secret) {
      this.logger.warn('RCC_WEBHOOKS is set without RCC_WEBHOOK_SECRET: deliveries are unsigned');
    }
    this.stopped = false;
    this.timer = setInterval(() => this.poke(), POLL_MS);
    this.timer.unref();
    this.poke(); // deliveries left by a previous run go out now
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    // The attempts in flight are settled before the Redis connection closes.
    await this.passes.stop();
  }

  /** Looks at the queue now (after a write queued something); several pokes make one pass. */
  poke(): void {
    if (!this.stopped) this.passes.ask();
  }

  private async pass(): Promise<void> {
    try {
      for (;;) {
        const claimed = await this.queue.claim(BATCH, this.leaseMs);
        await Promise.all(claimed.map((job) => this.deliver(job)));
        if (claimed.length < BATCH || this.stopped) return;
      }
    } catch (error) {
      // Redis away: the deliveries wait in the queue; the next poll tries again.
      this.logger.debug(`Webhook pass skipped: ${(error as Error).message}`);
    }
  }

  private async deliver(claimed: ClaimedJob): Promise<void> {
    const { job, attempt } = claimed;
    const trusted = isTrustedJob(job, this.settings.urls, this.settings.secret);
    // A job this admin did not queue (written into Redis by someone else) is never sent.
    const result = trusted
      ? await this.sender.send(job, attempt)
      : {
          ok: false,
          status: null,
          error: 'refused: not a delivery this admin queued',
          durationMs: 0,
        };
    const outcome: SettledOutcome = result.ok
      ? 'delivered'
      : !trusted || attempt >= this.settings.maxAttempts
        ? 'failed'
        : 'retrying';
    const entry = {
      delivery: job.id,
      eventId: job.eventId,
      event: job.type,
      origin: originOf(job.url),
      target: job.target,
      attempt,
      outcome,
      status: result.status,
      error: result.error,
      durationMs: result.durationMs,
    };
    const settled = await this.queue.settle(
      claimed,
      entry,
      retryDelayMs(attempt, this.settings.retryBaseMs),
      this.settings.logLimit,
    );
    if (!settled) return; // claimed again elsewhere after our lease ran out: that attempt counts
    this.metrics.countDelivery(outcome);
    if (outcome !== 'delivered') {
      const next = outcome === 'failed' ? 'given up' : 'will retry';
      this.logger.warn(
        `Webhook ${job.type} to target ${job.target} (${entry.origin}) attempt ${attempt}: ` +
          `${result.error}; ${next}`,
      );
    }
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid';
  }
}
