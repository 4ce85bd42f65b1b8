import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AdminRedisModule } from '../common/admin-redis.module';
import { SecretPolicy } from '../secrets/secret-policy';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ChangeEvents } from './change-events';
import { ChangeGate } from './change-gate';
import { ChangeStore } from './change-store';

/** The gate of protected environments and the store of change requests (DESIGN §19). */
@Module({
  imports: [AdminRedisModule, AuditModule, WebhooksModule],
  providers: [ChangeStore, ChangeGate, ChangeEvents, SecretPolicy],
  exports: [ChangeStore, ChangeGate, ChangeEvents],
})
export class ChangesModule {}
