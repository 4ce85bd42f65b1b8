import { Module } from '@nestjs/common';
import { RedisConfigModule } from '@rcc/redis-config';

@Module({ imports: [RedisConfigModule.forRoot({ node: false })] })
export class AdminModule {}
