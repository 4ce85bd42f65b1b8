import { ConsoleLogger, INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { RedisConfigHealth, RedisConfigModuleOptions } from '@rcc/redis-config';
import {
  RESOLVED_REDIS_CONFIG_OPTIONS,
  ResolvedRedisConfigOptions,
} from '@rcc/redis-config/publisher';
import helmet from 'helmet';
import { AdminModule } from './admin.module';
import { accessLog } from './common/access-log.middleware';
import { AdminExceptionFilter } from './common/admin-exception.filter';
import { jsonBodyParser } from './common/json-body-parser';
import { adminValidationPipe } from './common/validation-problems';
import { setupOpenApi } from './openapi/openapi.setup';
import { AuditLog } from './audit/audit-log';
import { patternChannel } from './rpc/admin-patterns';
import { redisTransportOptions } from './rpc/redis-transport.options';
import { redisMessageClaim, SingleReplicaRedisServer } from './rpc/single-replica-redis.server';
import { AdminRedis } from './common/admin-redis';
import { AdminEnvironments } from './environments/admin-environments';
import { environmentScope } from './environments/environment-scope';
import type { AdminSettings } from './settings/admin-settings';

export interface AdminAppOptions {
  settings: AdminSettings;
  redisConfig?: RedisConfigModuleOptions;
  /** Overrides the logger chosen by `settings.logFormat` (tests pass `false` or a few levels). */
  logger?: LoggerService | LogLevel[] | false;
}

/**
 * Builds the whole admin service, as `main.ts` runs it and as the e2e suites test it: HTTP with
 * its security and error handling, OpenAPI, and the message patterns (started, not yet listening
 * on HTTP; call `listen`).
 */
export async function createAdminApp(options: AdminAppOptions): Promise<NestExpressApplication> {
  const { settings } = options;
  const app = await NestFactory.create<NestExpressApplication>(
    AdminModule.forRoot({ settings, redisConfig: options.redisConfig }),
    { bodyParser: false, logger: options.logger ?? defaultLogger(settings) },
  );
  configureHttp(app, settings);
  if (settings.microservice) {
    const resolved = app.get<ResolvedRedisConfigOptions>(RESOLVED_REDIS_CONFIG_OPTIONS);
    const redis = app.get(AdminRedis);
    // One replica handles each message (the transport is pub/sub: every admin receives it).
    const strategy = new SingleReplicaRedisServer(
      redisTransportOptions(resolved).options ?? {},
      redisMessageClaim(redis.client, redis.namespace),
      settings.bodyLimitBytes,
      patternChannel('', redis.namespace),
    );
    // inheritAppConfig: the same validation pipe and error filter serve the message patterns.
    app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  }
  await app.init();
  if (settings.microservice) await app.startAllMicroservices();
  return app;
}

function configureHttp(app: NestExpressApplication, settings: AdminSettings): void {
  app.disable('x-powered-by');
  // Helmet's defaults, less `upgrade-insecure-requests`: over plain HTTP on a host name other than
  // localhost it made browsers fetch the console's assets over https (a blank page). Put TLS in
  // front of the admin for real deployments (docs/SECURITY.md); HSTS then applies.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.use(accessLog());
  // Every request runs in the scope of the environment its `?env=` names (DESIGN §19).
  app.use(environmentScope(app.get(AdminEnvironments)));
  app.use(jsonBodyParser(settings.bodyLimitBytes));
  app.useGlobalPipes(adminValidationPipe());
  app.useGlobalFilters(new AdminExceptionFilter(app.get(RedisConfigHealth), app.get(AuditLog)));
  setupOpenApi(app as INestApplication);
}

function defaultLogger(settings: AdminSettings): LoggerService {
  const logLevels: LogLevel[] = ['fatal', 'error', 'warn', 'log'];
  if (settings.logLevel === 'debug') logLevels.push('debug');
  return settings.logFormat === 'json'
    ? new ConsoleLogger({ json: true, colors: false, logLevels })
    : new ConsoleLogger({
        compact: true,
        breakLength: Infinity, // one line per entry
        logLevels,
        // Colour codes only for a terminal: never into a file or a pipe.
        colors: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      });
}
