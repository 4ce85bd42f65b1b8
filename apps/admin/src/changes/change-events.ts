import { Injectable } from '@nestjs/common';
import type { AuditAction } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log';
import { AdminEnvironments } from '../environments/admin-environments';
import { ConfigWrites } from '../webhooks/config-writes';
import { changeEvent, type ChangeEventType } from '../webhooks/webhook-event';
import type { ChangeRequest } from './change-request';

const AUDITED: Record<ChangeEventType | 'change.withdrawn', AuditAction> = {
  'change.requested': 'change-requested',
  'change.approved': 'change-approved',
  'change.rejected': 'change-rejected',
  'change.applied': 'change-applied',
  'change.withdrawn': 'change-withdrawn',
};

/** Each step of a change request, audited in its environment and sent to the webhooks. */
@Injectable()
export class ChangeEvents {
  constructor(
    private readonly environments: AdminEnvironments,
    private readonly audit: AuditLog,
    private readonly writes: ConfigWrites,
  ) {}

  async announce(
    type: ChangeEventType | 'change.withdrawn',
    change: ChangeRequest,
    actor: string,
  ): Promise<void> {
    const env = this.environments.named(change.env);
    await this.environments.run(env, async () => {
      await this.audit.record({
        action: AUDITED[type],
        actor,
        role: null,
        address: null,
        method: '-',
        path: `(change ${change.id}: ${change.action})`,
        status: type === 'change.requested' ? 202 : 200,
        group: change.group,
        fromVersion: change.baseVersion,
        toVersion: change.appliedVersion,
        keys: change.diff.map((entry) => entry.key),
        ...(change.groups ? { groups: change.groups } : {}),
      });
      if (type === 'change.withdrawn') return;
      await this.writes.announce(
        changeEvent(
          type,
          {
            id: change.id,
            env: change.env,
            action: change.action,
            status: change.status,
            group: change.group,
            version: change.appliedVersion ?? change.baseVersion,
          },
          actor,
          env.namespace,
        ),
      );
    });
  }
}
