import { Module } from '@nestjs/common';
import { RedisConfigModule } from '@rcc/redis-config';
import { ApiKeyClient } from './api-key.client';
import { ConfigChangeLogger } from './config-change.logger';
import { ConfigController } from './config.controller';
import { HealthController } from './health.controller';

/** A service that uses the config center as a user would: every option from the environment. */
@Module({
  imports: [RedisConfigModule.forRoot()],
  controllers: [ConfigController, HealthController],
  providers: [ApiKeyClient, ConfigChangeLogger],
})
export class ExampleModule {}
