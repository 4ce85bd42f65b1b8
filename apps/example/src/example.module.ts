import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { RedisConfigModule } from '@rcc/redis-config';
import { ApiKeyClient } from './api-key.client';
import { ConfigChangeLogger } from './config-change.logger';
import { ConfigServiceController } from './config-service.controller';
import { ConfigController } from './config.controller';
import { validateExampleConfig } from './example-config.validation';
import { validateExampleEnvironment } from './example-environment';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** A service that uses the config center as a user would: every option from the environment. */
@Module({
  imports: [
    // `.env` in the working directory, under the real environment; before the library reads it.
    ConfigModule.forRoot({ envFilePath: '.env', validate: validateExampleEnvironment }),
    RedisConfigModule.forRoot({ validate: validateExampleConfig }),
  ],
  controllers: [ConfigController, ConfigServiceController, HealthController, MetricsController],
  providers: [ApiKeyClient, ConfigChangeLogger],
})
export class ExampleModule {}
