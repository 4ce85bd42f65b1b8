import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { HeldPlace } from '../assignment/group-assigner';
import type { GroupHolding } from '../wire/group-holding';
import { changedKeys, ConfigChangeEvent, ConfigChangeReason, ConfigGroup } from './config-change';

/** The group a node holds now and the stream of its changes: the one place that state lives. */
@Injectable()
export class NodeState implements HeldPlace {
  current: ConfigGroup | null = null;
  holding: GroupHolding = 'none';
  /** True while the node holds no group because every group it may hold is full. */
  waiting = false;
  readonly changes = new Subject<ConfigChangeEvent>();
  /** Run on every change before any listener hears of it (the `@ConfigValue` properties). */
  private readonly updaters: ((event: ConfigChangeEvent) => void)[] = [];

  beforeChange(updater: (event: ConfigChangeEvent) => void): void {
    this.updaters.push(updater);
  }

  /**
   * Switches to `next` and tells listeners what changed. Nothing is emitted for no change, except
   * the first `unassigned`: a node that starts with every group full says so once.
   */
  apply(next: ConfigGroup | null, reason: ConfigChangeReason, holding: GroupHolding): void {
    const previous = this.current;
    const startsWaiting = reason === 'unassigned' && !this.waiting;
    this.current = next;
    this.holding = next ? holding : 'none';
    this.waiting = reason === 'unassigned';
    const keys = changedKeys(previous?.config ?? {}, next?.config ?? {});
    const sameGroup = previous?.name === next?.name && previous?.version === next?.version;
    if (sameGroup && keys.length === 0 && !startsWaiting) return;
    const event: ConfigChangeEvent = { previous, current: next, reason, changedKeys: keys };
    for (const update of this.updaters) update(event);
    this.changes.next(event);
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
