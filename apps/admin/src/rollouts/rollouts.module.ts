import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChangesModule } from '../changes/changes.module';
import { AdminRedisModule } from '../common/admin-redis.module';
import { SecretPolicy } from '../secrets/secret-policy';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { RolloutDriver } from './rollout-driver';
import { RolloutService } from './rollout.service';
import { resolveRolloutSettings, ROLLOUT_SETTINGS } from './rollout.settings';
import { RolloutsController } from './rollouts.controller';

/** Safe rollouts (DESIGN §13): REST routes, the state machine, and the driver of the bakes. */
@Module({
  imports: [AdminRedisModule, WebhooksModule, AuditModule, ChangesModule],
  controllers: [RolloutsController],
  providers: [
    // Checked when the app is built: a bad RCC_ROLLOUT_VERIFY_MS stops the admin before it listens.
    { provide: ROLLOUT_SETTINGS, useFactory: () => resolveRolloutSettings(process.env) },
    RolloutService,
    RolloutDriver,
    SecretPolicy,
  ],
  exports: [RolloutService],
})
export class RolloutsModule {}
