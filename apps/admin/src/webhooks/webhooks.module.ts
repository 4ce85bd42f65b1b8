import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { ConfigWrites } from './config-writes';

/** Announces every write: counted in the metrics, and POSTed to `RCC_WEBHOOKS` (DESIGN §15). */
@Module({
  imports: [MetricsModule],
  providers: [ConfigWrites],
  exports: [ConfigWrites],
})
export class WebhooksModule {}
