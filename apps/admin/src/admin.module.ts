import { DynamicModule, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';
import { ThrottlerModule } from '@nestjs/throttler';
import { RedisConfigModule, RedisConfigModuleOptions } from '@rcc/redis-config';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { AdminRedisModule } from './common/admin-redis.module';
import { EnvironmentInterceptor } from './environments/environment-scope';
import { EnvironmentsController } from './environments/environments.controller';
import { PromotionController } from './environments/promotion.controller';
import { PromotionService } from './environments/promotion.service';
import { ChangeApprovals } from './changes/change-approvals.service';
import { ChangesController } from './changes/changes.controller';
import { ChangesModule } from './changes/changes.module';
import { SessionController } from './auth/session.controller';
import { ConsoleModule } from './console/console.module';
import { WriteRateLimitGuard, writeRateLimitOptions } from './common/write-rate-limit';
import { GroupAdminService } from './groups/group-admin.service';
import { GroupsController } from './groups/groups.controller';
import { HealthModule } from './health/health.module';
import { ImportExportController } from './import-export/import-export.controller';
import { InfoController } from './info/info.controller';
import { AuditModule } from './audit/audit.module';
import { MetricsModule } from './metrics/metrics.module';
import { NodesController } from './nodes/nodes.controller';
import { RolloutsModule } from './rollouts/rollouts.module';
import { AdminRpcController } from './rpc/admin-rpc.controller';
import { SecretPolicy } from './secrets/secret-policy';
import { ADMIN_SETTINGS, AdminSettings } from './settings/admin-settings';
import { WebhooksModule } from './webhooks/webhooks.module';

export interface AdminModuleOptions {
  settings: AdminSettings;
  /** The library's options; each falls back to its env variable. `node` is always false. */
  redisConfig?: RedisConfigModuleOptions;
}

/** The admin service: REST API, health, web console, and the message patterns of the hybrid app. */
@Module({})
export class AdminModule implements OnApplicationShutdown {
  /** The last line of a clean stop: every shutdown hook before it has run. */
  onApplicationShutdown(signal?: string): void {
    new Logger('Admin').log(`Admin service stopped${signal ? ` (${signal})` : ''}`);
  }

  static forRoot({ settings, redisConfig = {} }: AdminModuleOptions): DynamicModule {
    // With RCC_ENVIRONMENTS, the library's module serves the first environment.
    const first = settings.environments?.[0];
    const firstEnvironment: RedisConfigModuleOptions = first
      ? { redis: first.redis, namespace: first.namespace ?? undefined, environment: first.name }
      : {};
    return {
      module: AdminModule,
      global: true,
      imports: [
        // The admin holds no group and is not counted as a node.
        // The same secret keys are masked here and encrypted by the store (RCC_ENCRYPTION_KEY).
        RedisConfigModule.forRoot({
          secretKeys: settings.secretKeys,
          ...firstEnvironment,
          ...redisConfig,
          node: false,
        }),
        // The environments (DESIGN §19), before any module that serves them.
        AdminRedisModule,
        // Change requests of protected environments (DESIGN §19).
        ChangesModule,
        ThrottlerModule.forRoot(writeRateLimitOptions(settings)),
        // Uploads stay in memory, bounded like JSON bodies; a bigger file is a 413.
        MulterModule.register({
          limits: { fileSize: settings.bodyLimitBytes, files: 1, fields: 0, parts: 2 },
        }),
        HealthModule,
        // The web console at `/` (static files; every API call it makes carries the token).
        ConsoleModule,
        // GET /metrics, and the webhooks that announce every write (DESIGN §15).
        MetricsModule,
        WebhooksModule,
        AuditModule,
        // Safe rollouts (DESIGN §13).
        RolloutsModule,
      ],
      controllers: [
        EnvironmentsController,
        ChangesController,
        // Before GroupsController: `:name/compare` is not a group's sub-resource of its own.
        PromotionController,
        GroupsController,
        ImportExportController,
        NodesController,
        InfoController,
        SessionController,
        AdminRpcController,
      ],
      providers: [
        { provide: ADMIN_SETTINGS, useValue: settings },
        GroupAdminService,
        PromotionService,
        ChangeApprovals,
        SecretPolicy,
        // In this order: the token is checked before the write budget is spent.
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_GUARD, useClass: WriteRateLimitGuard },
        // `?env=` / a message's `env`: 400 for an unknown name, once the token was checked.
        { provide: APP_INTERCEPTOR, useClass: EnvironmentInterceptor },
      ],
      exports: [ADMIN_SETTINGS],
    };
  }
}
