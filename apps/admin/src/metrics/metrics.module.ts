import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ChangeStore } from '../changes/change-store';
import { AdminRedisModule } from '../common/admin-redis.module';
import { SecretPolicy } from '../secrets/secret-policy';
import { AdminMetrics } from './admin-metrics';
import { HttpDurationMiddleware } from './http-duration.middleware';
import { MetricsController } from './metrics.controller';
import { METRICS_SETTINGS, resolveMetricsSettings } from './metrics.settings';

/** The admin's `GET /metrics` and what it measures (DESIGN §15). */
@Module({
  imports: [AdminRedisModule],
  controllers: [MetricsController],
  providers: [
    AdminMetrics,
    // Stateless readers of each environment's change requests (the pending-requests gauge).
    ChangeStore,
    SecretPolicy,
    { provide: METRICS_SETTINGS, useFactory: () => resolveMetricsSettings(process.env) },
  ],
  exports: [AdminMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpDurationMiddleware).forRoutes('*');
  }
}
