import type { ConfigGroup } from '../node/config-change';
import type { GroupVersionEvent } from '../wire/namespace-event';

/** Versions remembered until applied: a few suffice, a node applies its group's versions in order. */
const KEPT = 16;

/**
 * When each recently published version of the node's group was written (the time its event
 * carries), until the node applies it: then the seconds from publish to applied.
 */
export class PublishTimes {
  private readonly published = new Map<string, number>();

  heard(event: GroupVersionEvent): void {
    if (event.version === null || event.publishedAtMs === undefined) return;
    this.published.set(key(event.group, event.version), event.publishedAtMs);
    if (this.published.size > KEPT) {
      this.published.delete(this.published.keys().next().value as string);
    }
  }

  /**
   * Seconds from the publish of `group` to `nowMs`, once per version; null when its publish time is
   * unknown (a write without an event, such as the old project's, or one heard before the node
   * held the group). Clock skew between Redis and the node never makes it negative.
   */
  appliedAfter(group: ConfigGroup, nowMs: number): number | null {
    const at = this.published.get(key(group.name, group.version));
    if (at === undefined) return null;
    this.published.delete(key(group.name, group.version));
    return Math.max(0, nowMs - at) / 1000;
  }
}

function key(group: string, version: number): string {
  return `${version}\u0000${group}`;
}
