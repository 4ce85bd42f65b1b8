import { ConsoleLogger, DynamicModule, Logger, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AdminEnvironment, validateAdminEnvironment } from './admin-environment';
import { ADMIN_SETTINGS, adminSettingsFrom, AdminSettings } from './admin-settings';

type AdminConfig = ConfigService<AdminEnvironment, true>;

/**
 * The admin's settings the Nest way: `ConfigModule` reads `.env` in the working directory (a real
 * environment variable wins) and validates it once, with `AdminEnvironment`.
 */
@Module({})
export class AdminSettingsModule {
  static forRoot(): DynamicModule {
    return {
      module: AdminSettingsModule,
      imports: [ConfigModule.forRoot({ envFilePath: '.env', validate: validateAdminEnvironment })],
      providers: [
        {
          provide: ADMIN_SETTINGS,
          useFactory: (config: AdminConfig) =>
            adminSettingsFrom({
              ADMIN_PORT: config.get('ADMIN_PORT', { infer: true }),
              ADMIN_HOST: config.get('ADMIN_HOST', { infer: true }),
              ADMIN_TOKEN: config.get('ADMIN_TOKEN', { infer: true }),
              ADMIN_TOKEN_LABEL: config.get('ADMIN_TOKEN_LABEL', { infer: true }),
              ADMIN_TOKENS: config.get('ADMIN_TOKENS', { infer: true }),
              ADMIN_BODY_LIMIT: config.get('ADMIN_BODY_LIMIT', { infer: true }),
              ADMIN_WRITE_RATE_LIMIT: config.get('ADMIN_WRITE_RATE_LIMIT', { infer: true }),
              ADMIN_MICROSERVICE: config.get('ADMIN_MICROSERVICE', { infer: true }),
              LOG_FORMAT: config.get('LOG_FORMAT', { infer: true }),
              LOG_LEVEL: config.get('LOG_LEVEL', { infer: true }),
              RCC_SECRET_KEYS: config.get('RCC_SECRET_KEYS', { infer: true }),
              RCC_ENVIRONMENTS: config.get('RCC_ENVIRONMENTS', { infer: true }),
              RCC_PROTECTED_ENVIRONMENTS: config.get('RCC_PROTECTED_ENVIRONMENTS', { infer: true }),
              REDIS_CONFIG_CENTER_TYPE: config.get('REDIS_CONFIG_CENTER_TYPE', { infer: true }),
            }),
          inject: [ConfigService],
        },
      ],
      exports: [ADMIN_SETTINGS],
    };
  }

  /**
   * The settings, read before the admin app is built: its logger, body limit and write budget
   * depend on them. A small context of its own; a bad variable rejects, naming it.
   */
  static async load(): Promise<AdminSettings> {
    try {
      const context = await NestFactory.createApplicationContext(AdminSettingsModule.forRoot(), {
        logger: false,
        abortOnError: false,
      });
      const settings = context.get<AdminSettings>(ADMIN_SETTINGS);
      await context.close();
      return settings;
    } finally {
      // `logger: false` silenced Nest's static logger, which tells why the admin could not start.
      Logger.overrideLogger(new ConsoleLogger());
    }
  }
}
