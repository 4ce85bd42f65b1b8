import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { ConfigWrites } from './config-writes';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookQueue } from './webhook-queue';
import { AdminRedisModule } from '../common/admin-redis.module';
import { WebhookSender } from './webhook-sender';
import { resolveWebhookSettings, WEBHOOK_SETTINGS } from './webhook.settings';
import { WebhooksController } from './webhooks.controller';

/** Announces every write: counted in the metrics, and POSTed to `RCC_WEBHOOKS` (DESIGN §15). */
@Module({
  imports: [MetricsModule, AdminRedisModule],
  controllers: [WebhooksController],
  providers: [
    // Checked when the app is built: a bad RCC_WEBHOOKS stops the admin before it listens.
    { provide: WEBHOOK_SETTINGS, useFactory: () => resolveWebhookSettings(process.env) },
    WebhookQueue,
    WebhookSender,
    WebhookDispatcher,
    ConfigWrites,
  ],
  exports: [ConfigWrites, WebhookQueue],
})
export class WebhooksModule {}
