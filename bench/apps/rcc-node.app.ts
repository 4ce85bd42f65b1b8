import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigGroupService, RedisConfigModule } from '@rcc/redis-config';
import { serveBenchApp } from './bench-app-host';

/**
 * The start-up and memory benches' node: a Nest HTTP app that serves one value of its config group
 * through this library. Configured by the environment, as a user's node is (DESIGN §5).
 */
@Controller()
class ValueController {
  constructor(private readonly config: ConfigGroupService) {}

  @Get('value')
  value(): { apikey: string | undefined } {
    return { apikey: this.config.get<string>('apikey') };
  }
}

@Module({ imports: [RedisConfigModule.forRoot()], controllers: [ValueController] })
class RccNodeAppModule {}

void serveBenchApp(() => NestFactory.create(RccNodeAppModule, { logger: ['error'] }));
