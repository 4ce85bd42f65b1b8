import type { NodeCheckRequest } from '../wire/node-check';
import type { AssignmentScripts, HeartbeatResult, NodeReport } from './assignment-scripts';

/** What a lease keeper runs each beat with. */
export interface LeaseKeeperSettings {
  leaseMs: number;
  /** The period of the beats: at most `leaseMs / 3` (two may be lost before the lease ends). */
  periodMs: number;
  /** The node's report: sent only when it changed since the last one Redis stored. */
  report: () => NodeReport;
  /** The node's periodic check, carried by the beats due for it. */
  check: () => NodeCheckRequest;
  /**
   * How often the check runs (`refreshMs`): on the first beat at least this long, less half a
   * period, after the last one. Beats in between only renew the lease (a cheaper call).
   */
  checkEveryMs: number;
  onResult: (result: HeartbeatResult) => void;
  onError: (error: Error) => void;
  /** True while the node waits for a place. */
  waiting?: () => boolean;
}

/**
 * Keeps a node's lease alive: a heartbeat every `periodMs` (at most `leaseMs / 3`: two may be lost
 * before the lease ends), and one right away when the node's group changes so the admin sees it.
 * Each heartbeat is the node's one periodic call: the beats due for it (about every `checkEveryMs`)
 * also run the node's periodic check, and each sends the node's report only when it changed since
 * the last one stored. It tells where Redis
 * has the node: `onResult` compares it with what the node believes.
 *
 * A node waiting for a place (`waiting()`) also beats right after the next lease of another node
 * runs out: that heartbeat purges it, so a dead node's place frees up one lease after its last
 * heartbeat, not up to a third of a lease later.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private wake: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private running = false;
  private busy = false;
  private again = false;

  /** The report Redis has from this node (JSON), as far as the node knows; null: send it. */
  private stored: string | null = null;
  /** Counts `reportWritten` calls: a beat in flight meanwhile must not vouch for what is stored. */
  private written = 0;
  /** When the last check was sent, or the keeper started (`performance.now()`); null: stopped. */
  private checkedAt: number | null = null;

  constructor(
    private readonly scripts: AssignmentScripts,
    private readonly nodeId: string,
    private readonly settings: LeaseKeeperSettings,
  ) {}

  /**
   * The node's report was written by another script (a decision): the next beat sends its own,
   * whether or not it changed, so what Redis has is never a report the keeper did not send last.
   */
  reportWritten(): void {
    this.written++;
    this.stored = null;
  }

  get started(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // The node has just read its group (the first decision): its first check is a refresh later.
    this.checkedAt = performance.now();
    this.timer = setInterval(() => this.beat(), Math.max(10, Math.floor(this.settings.periodMs)));
    this.timer.unref();
  }

  /** A heartbeat within `withinMs` (several requests make one). */
  beatSoon(withinMs = 0): void {
    if (!this.running || this.soon) return;
    this.soon = setTimeout(
      () => {
        this.soon = null;
        this.beat();
      },
      Math.floor(Math.random() * withinMs),
    );
    this.soon.unref();
  }

  /** Stops the heartbeats and waits for the one in flight (a late one would renew the lease). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    if (this.wake) clearTimeout(this.wake);
    this.timer = this.soon = this.wake = null;
    this.stored = null;
    this.checkedAt = null;
    // A beat asked for meanwhile may have started a new one: wait until none is running.
    while (this.busy) await this.inFlight;
  }

  private beat(): void {
    if (!this.running) return;
    // One heartbeat at a time (a slow Redis must not pile them up); one asked for meanwhile follows.
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.inFlight = (async () => {
      const { report, check, onResult, onError } = this.settings;
      try {
        const current = report();
        const json = JSON.stringify(current);
        const unchanged = json === this.stored;
        const written = this.written;
        const sentAt = performance.now();
        const due = this.checkDue(sentAt);
        const result = await this.scripts.heartbeat(
          this.nodeId,
          unchanged ? null : current,
          due ? check() : null,
        );
        if (due) this.checkedAt = sentAt;
        if (written === this.written) this.stored = result.infoStored ? json : null;
        // Redis lost the report (its lease was purged, or the key removed): sent again at once.
        if (!result.infoStored && unchanged) this.again = true;
        onResult(result);
        this.wakeAtNextExpiry(result);
      } catch (error) {
        onError(error as Error);
      } finally {
        this.busy = false;
      }
      if (this.again) {
        this.again = false;
        this.beat();
      }
    })();
  }

  private checkDue(now: number): boolean {
    const { checkEveryMs, periodMs } = this.settings;
    return this.checkedAt === null || now - this.checkedAt >= checkEveryMs - periodMs / 2;
  }

  private wakeAtNextExpiry({ nowMs, nextExpiryMs }: HeartbeatResult): void {
    if (!this.running || nextExpiryMs === null || !this.settings.waiting?.()) return;
    const delay = nextExpiryMs - nowMs + 1;
    // Later than the next regular heartbeat: that one will do.
    if (delay >= this.settings.periodMs) return;
    if (this.wake) clearTimeout(this.wake);
    this.wake = setTimeout(
      () => {
        this.wake = null;
        this.beat();
      },
      Math.max(0, delay),
    );
    this.wake.unref();
  }
}
