import { Module } from '@nestjs/common';
import { AdminEnvironments } from '../environments/admin-environments';
import { AdminRedis } from './admin-redis';

/**
 * One `AdminRedis` connection (the first environment's) for every module that keeps data beside
 * the groups, and the environments of `RCC_ENVIRONMENTS` with their own (DESIGN §19).
 */
@Module({ providers: [AdminRedis, AdminEnvironments], exports: [AdminRedis, AdminEnvironments] })
export class AdminRedisModule {}
