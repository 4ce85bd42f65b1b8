import { Controller, Get, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { serveBenchApp } from './bench-app-host';

/** The baseline of the start-up and memory benches: the same app with `@nestjs/config` only. */
@Controller()
class ValueController {
  constructor(private readonly config: ConfigService) {}

  @Get('value')
  value(): { apikey: string | undefined } {
    return { apikey: this.config.get<string>('BENCH_APIKEY') };
  }
}

@Module({
  imports: [ConfigModule.forRoot({ ignoreEnvFile: true })],
  controllers: [ValueController],
})
class NestConfigAppModule {}

void serveBenchApp(() => NestFactory.create(NestConfigAppModule, { logger: ['error'] }));
