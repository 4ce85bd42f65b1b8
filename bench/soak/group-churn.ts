import type { ConfigGroupStore } from '@rcc/redis-config/publisher';

const MIN_GROUPS = 3;
const MAX_GROUPS = 12;

export interface ChurnCounts {
  added: number;
  deleted: number;
  updated: number;
  /** Writes refused (Redis down): expected during the restarts, and only then. */
  refused: number;
}

/**
 * Adds and deletes groups of the pool (and now and then updates one) at random moments, between
 * MIN_GROUPS and MAX_GROUPS groups, as an operator rotating API keys would, only much faster.
 */
export class GroupChurn {
  readonly counts: ChurnCounts = { added: 0, deleted: 0, updated: 0, refused: 0 };
  private groups: string[] = [];
  private next = 1;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stale = true;

  constructor(
    private readonly store: ConfigGroupStore,
    private readonly prefix: string,
    private readonly meanMs: number,
  ) {}

  /** Publishes the first groups (Redis must be up). */
  async seed(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.add();
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.step();
      this.timer = setTimeout(tick, this.meanMs * (0.5 + Math.random()));
    };
    this.timer = setTimeout(tick, this.meanMs);
  }

  /** Stops after the change in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async step(): Promise<void> {
    try {
      // After a refused write the outcome is unknown (it may have landed): read the truth.
      if (this.stale) {
        this.groups = await this.store.names(`${this.prefix}*`);
        this.stale = false;
      }
      const roll = Math.random();
      if (this.groups.length <= MIN_GROUPS || (roll < 0.4 && this.groups.length < MAX_GROUPS)) {
        await this.add();
      } else if (roll < 0.8 || this.groups.length >= MAX_GROUPS) {
        await this.remove();
      } else {
        await this.update();
      }
    } catch {
      this.counts.refused++;
      this.stale = true;
    }
  }

  private async add(): Promise<void> {
    const name = `${this.prefix}${this.next++}`;
    await this.store.publish(name, { apikey: `key-${name}`, qps_limit: 10 });
    this.groups.push(name);
    this.counts.added++;
  }

  private async remove(): Promise<void> {
    const name = this.groups[Math.floor(Math.random() * this.groups.length)];
    await this.store.delete(name);
    this.groups = this.groups.filter((group) => group !== name);
    this.counts.deleted++;
  }

  private async update(): Promise<void> {
    const name = this.groups[Math.floor(Math.random() * this.groups.length)];
    await this.store.publish(name, { apikey: `key-${name}-${Date.now()}`, qps_limit: 10 });
    this.counts.updated++;
  }
}
