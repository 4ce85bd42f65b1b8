import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ImportResult } from '@rcc/redis-config/publisher';
import { AdminMetrics } from '../metrics/admin-metrics';
import type { ConfigWrite } from './config-write';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEvent, webhookEvent } from './webhook-event';
import { WebhookQueue } from './webhook-queue';
import { WEBHOOK_SETTINGS, WebhookSettings } from './webhook.settings';

/**
 * Where the admin's write paths say that a write succeeded: it is counted, and announced to the
 * webhooks. Never throws: the write itself is done and acknowledged whatever happens here. The
 * write waits for one MULTI that queues its deliveries in Redis (so a restart loses none), never
 * for a delivery.
 */
@Injectable()
export class ConfigWrites {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly metrics: AdminMetrics,
    private readonly queue: WebhookQueue,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  async record(write: ConfigWrite): Promise<void> {
    this.metrics.countWrite(write.kind);
    if (this.settings.urls.length === 0) return;
    await this.announce(webhookEvent(write, this.queue.namespace));
  }

  /** Queues one event for every webhook (a rollout's move: see `rolloutEvent`). Never throws. */
  async announce(event: WebhookEvent): Promise<void> {
    if (this.settings.urls.length === 0) return;
    try {
      await this.queue.enqueue(event, this.settings.urls, this.settings.secret);
      this.dispatcher.poke();
    } catch (error) {
      this.logger.error(
        `Webhook event ${event.type} of "${event.group ?? '(import)'}" not queued: ` +
          (error as Error).message,
      );
    }
  }

  /** An applied import: one announcement for the file, naming what it created or changed. */
  recordImport(result: ImportResult, author: string): Promise<void> {
    const groups = [...result.created, ...result.updated];
    return this.record({ kind: 'imported', group: null, version: null, author, groups });
  }
}
