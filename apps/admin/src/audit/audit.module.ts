import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AdminRedisModule } from '../common/admin-redis.module';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditLog } from './audit-log';
import { AUDIT_SETTINGS, resolveAuditSettings } from './audit.settings';

/** The audit log (DESIGN §14): recorded by an interceptor and the error filter, read by admins. */
@Module({
  imports: [AdminRedisModule],
  controllers: [AuditController],
  providers: [
    { provide: AUDIT_SETTINGS, useFactory: () => resolveAuditSettings(process.env) },
    AuditLog,
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AuditLog],
})
export class AuditModule {}
