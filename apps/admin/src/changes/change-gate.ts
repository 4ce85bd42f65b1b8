import { Injectable } from '@nestjs/common';
import type { ConfigDict } from '@rcc/redis-config';
import { AdminEnvironments } from '../environments/admin-environments';
import { compareConfigs } from '../environments/compare-configs';
import { SecretPolicy } from '../secrets/secret-policy';
import { ChangeEvents } from './change-events';
import type { ChangeAction, ChangeDiffEntry, ChangePayload } from './change-request';
import { ChangeRequested } from './change-requested';
import { ChangeStore } from './change-store';

/** A write about to be made, as the gate needs it. */
export interface IntendedWrite {
  action: ChangeAction;
  group: string | null;
  groups?: string[];
  author: string;
  baseVersion: number | null;
  /** The config before and after (for the diff); null: absent. */
  before: ConfigDict | null;
  after: ConfigDict | null;
  payload: ChangePayload;
}

/**
 * The two-person rule (DESIGN §19): in a protected environment, every write path asks the gate
 * first; the gate stores a change request and throws `ChangeRequested` (answered 202). A write
 * made while an approved request is applied passes.
 */
@Injectable()
export class ChangeGate {
  constructor(
    private readonly environments: AdminEnvironments,
    private readonly store: ChangeStore,
    private readonly secrets: SecretPolicy,
    private readonly events: ChangeEvents,
  ) {}

  /** Whether a write in the current environment must become a change request. */
  get closed(): boolean {
    return this.environments.current().protected && !this.environments.applyingApproved();
  }

  /** Passes when the gate is open; otherwise stores the request and throws `ChangeRequested`. */
  async pass(write: () => IntendedWrite | Promise<IntendedWrite>): Promise<void> {
    if (!this.closed) return;
    const intended = await write();
    const env = this.environments.current();
    const change = await this.store.create(
      env,
      {
        action: intended.action,
        group: intended.group,
        ...(intended.groups ? { groups: intended.groups } : {}),
        author: intended.author,
        baseVersion: intended.baseVersion,
        diff: this.diff(intended.before, intended.after),
        comment: intended.payload.comment ?? null,
      },
      intended.payload,
    );
    await this.events.announce('change.requested', change, intended.author);
    throw new ChangeRequested(change);
  }

  /** Key by key; a secret key's values never enter it. */
  diff(before: ConfigDict | null, after: ConfigDict | null): ChangeDiffEntry[] {
    return compareConfigs(after, before)
      .filter((entry) => entry.status !== 'same')
      .map(({ key, status }) => {
        // compareConfigs(after, before): `added` is new in `after`, as a diff reads.
        const entry: ChangeDiffEntry = {
          key,
          status: status as ChangeDiffEntry['status'],
          secret: this.secrets.isSecretKey(key),
        };
        if (!entry.secret) {
          if (before && Object.hasOwn(before, key)) entry.from = before[key];
          if (after && Object.hasOwn(after, key)) entry.to = after[key];
        }
        return entry;
      });
  }
}
