import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import { changedKeys, ConfigChangeEvent, ConfigChangeReason, ConfigGroup } from './config-change';

/** How a node came to hold its group. */
export type GroupHolding = 'pinned' | 'assigned' | 'none';

/** The group a node holds now and the stream of its changes: the one place that state lives. */
@Injectable()
export class NodeState {
  current: ConfigGroup | null = null;
  holding: GroupHolding = 'none';
  readonly changes = new Subject<ConfigChangeEvent>();

  /** Switches to `next` and tells listeners what changed (nothing is emitted for no change). */
  apply(next: ConfigGroup | null, reason: ConfigChangeReason, holding: GroupHolding): void {
    const previous = this.current;
    this.current = next;
    this.holding = next ? holding : 'none';
    const keys = changedKeys(previous?.config ?? {}, next?.config ?? {});
    const sameGroup = previous?.name === next?.name && previous?.version === next?.version;
    if (sameGroup && keys.length === 0) return;
    this.changes.next({ previous, current: next, reason, changedKeys: keys });
  }

  /** A new version could not be applied: the node keeps what it has and says why. */
  reject(name: string, version: number, error: string): void {
    this.changes.next({
      previous: this.current,
      current: this.current,
      reason: 'rejected',
      changedKeys: [],
      rejected: { name, version, error },
    });
  }
}
