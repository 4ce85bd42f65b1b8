import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AdminMetrics } from './admin-metrics';
import { HttpDurationMiddleware } from './http-duration.middleware';
import { MetricsController } from './metrics.controller';
import { METRICS_SETTINGS, resolveMetricsSettings } from './metrics.settings';

/** The admin's `GET /metrics` and what it measures (DESIGN §15). */
@Module({
  controllers: [MetricsController],
  providers: [
    AdminMetrics,
    { provide: METRICS_SETTINGS, useFactory: () => resolveMetricsSettings(process.env) },
  ],
  exports: [AdminMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpDurationMiddleware).forRoutes('*');
  }
}
