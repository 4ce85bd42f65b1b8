import type { ConfigGroupService } from '@rcc/redis-config';

/** One look at every node: the group each holds (null for none), at a time in ms. */
export interface Sample {
  at: number;
  groups: (string | null)[];
}

/**
 * Looks at a set of nodes every `intervalMs` (what their applications see, from memory), and
 * keeps the samples, so a test can say how long any group was shared or any node held none.
 */
export class GroupSampler {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Errors thrown by a node's read (there must be none). */
  readErrors = 0;

  constructor(
    private readonly nodes: () => ConfigGroupService[],
    private readonly intervalMs = 50,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
  }

  /**
   * For each group, the longest run of consecutive samples in which two or more nodes held it,
   * in ms (from the first sample that saw it shared to the first that did not).
   */
  longestSharing(): { group: string | null; ms: number } {
    let worst: { group: string | null; ms: number } = { group: null, ms: 0 };
    const since = new Map<string, number>();
    for (const { at, groups } of this.samples) {
      const counts = new Map<string, number>();
      for (const group of groups) if (group) counts.set(group, (counts.get(group) ?? 0) + 1);
      for (const [group, start] of [...since]) {
        if ((counts.get(group) ?? 0) < 2) {
          since.delete(group);
          if (at - start > worst.ms) worst = { group, ms: at - start };
        }
      }
      for (const [group, count] of counts)
        if (count >= 2 && !since.has(group)) since.set(group, at);
    }
    const end = this.samples.at(-1)?.at ?? 0;
    for (const [group, start] of since)
      if (end - start > worst.ms) worst = { group, ms: end - start };
    return worst;
  }

  /** The longest run in which some node held no group, in ms. */
  longestWithoutGroup(): number {
    let worst = 0;
    let start: number | null = null;
    for (const { at, groups } of this.samples) {
      const someNone = groups.some((group) => group === null);
      if (someNone && start === null) start = at;
      if (!someNone && start !== null) {
        worst = Math.max(worst, at - start);
        start = null;
      }
    }
    if (start !== null) worst = Math.max(worst, (this.samples.at(-1)?.at ?? 0) - start);
    return worst;
  }

  private sample(): void {
    const groups = this.nodes().map((node) => {
      try {
        return node.getConfigGroup()?.name ?? null;
      } catch {
        this.readErrors++;
        return null;
      }
    });
    this.samples.push({ at: Date.now(), groups });
  }
}
