import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigGroupService, RedisConfigModule, RedisConfigModuleOptions } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';

/**
 * A node (or publisher) as a small Nest application context of its own, so that one test can run
 * many of them against one Redis. `extra` modules/providers model the user's app.
 */
export async function startNode(
  options: RedisConfigModuleOptions,
  providers: NonNullable<Parameters<typeof Module>[0]>['providers'] = [],
): Promise<{ app: INestApplicationContext; config: ConfigGroupService; store: ConfigGroupStore }> {
  @Module({ imports: [RedisConfigModule.forRoot(options)], providers })
  class NodeModule {}
  const app = await NestFactory.createApplicationContext(NodeModule, { logger: ['error'] });
  return { app, config: app.get(ConfigGroupService), store: app.get(ConfigGroupStore) };
}

/** A publisher: the module with `node: false` (holds no group), as the admin service uses it. */
export async function startPublisher(
  options: RedisConfigModuleOptions,
): Promise<{ app: INestApplicationContext; store: ConfigGroupStore }> {
  @Module({ imports: [RedisConfigModule.forRoot({ ...options, node: false })] })
  class PublisherModule {}
  const app = await NestFactory.createApplicationContext(PublisherModule, { logger: ['error'] });
  return { app, store: app.get(ConfigGroupStore) };
}
