import { Module } from '@nestjs/common';
import { AdminRedis } from './admin-redis';

/** One `AdminRedis` connection for every module that keeps data beside the groups. */
@Module({ providers: [AdminRedis], exports: [AdminRedis] })
export class AdminRedisModule {}
