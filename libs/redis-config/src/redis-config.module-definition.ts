import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { RedisConfigModuleOptions } from './options/redis-config.options';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: REDIS_CONFIG_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<RedisConfigModuleOptions>({ moduleName: 'RedisConfig' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createRedisConfigOptions')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
