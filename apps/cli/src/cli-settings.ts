import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { IsOptional, IsString } from 'class-validator';
import {
  BlankAsUnset,
  IntegerVariable,
  validateEnvironment,
} from '../../admin/src/settings/environment-validation';
import { CliError, EXIT_INVALID_INPUT } from './cli-error';

export const DEFAULT_TIMEOUT_MS = 3000;

/** The variables behind the global options (a flag wins); the library reads the other `REDIS_*`. */
export class CliEnvironment {
  @BlankAsUnset()
  @IsOptional()
  @IsString()
  REDIS_URL?: string;

  @BlankAsUnset()
  @IsOptional()
  @IsString()
  RCC_NAMESPACE?: string;

  @IntegerVariable(1)
  RCC_STARTUP_TIMEOUT_MS: number = DEFAULT_TIMEOUT_MS;

  /** The admin service, for `rcc rollout` (the admin drives rollouts). */
  @BlankAsUnset()
  @IsOptional()
  @IsString()
  ADMIN_URL?: string;

  /** A bearer token of the admin service (`writer` to start, promote or abort). */
  @BlankAsUnset()
  @IsOptional()
  @IsString()
  ADMIN_TOKEN?: string;
}

export type CliSettings = Pick<CliEnvironment, keyof CliEnvironment>;

/**
 * The CLI's settings through `ConfigModule` (`.env` in the working directory, the real environment
 * winning), read in a context of their own before the command runs: a few milliseconds, no Redis.
 * A bad variable rejects, naming it.
 */
export async function loadCliSettings(): Promise<CliSettings> {
  @Module({
    imports: [
      ConfigModule.forRoot({
        envFilePath: '.env',
        validate: (config) => validateEnvironment(CliEnvironment, config),
      }),
    ],
  })
  class CliSettingsModule {}
  const context = await NestFactory.createApplicationContext(CliSettingsModule, {
    logger: false,
    abortOnError: false,
  }).catch((error: Error) => {
    throw new CliError(error.message, EXIT_INVALID_INPUT);
  });
  const config = context.get(ConfigService<CliEnvironment, true>);
  const settings: CliSettings = {
    REDIS_URL: config.get('REDIS_URL', { infer: true }),
    RCC_NAMESPACE: config.get('RCC_NAMESPACE', { infer: true }),
    RCC_STARTUP_TIMEOUT_MS: config.get('RCC_STARTUP_TIMEOUT_MS', { infer: true }),
    ADMIN_URL: config.get('ADMIN_URL', { infer: true }),
    ADMIN_TOKEN: config.get('ADMIN_TOKEN', { infer: true }),
  };
  await context.close();
  return settings;
}
