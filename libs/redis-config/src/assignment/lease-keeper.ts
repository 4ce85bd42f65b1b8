import type { AssignmentScripts, HeartbeatResult, NodeReport } from './assignment-scripts';

/**
 * Keeps a node's lease alive: a heartbeat every `leaseMs / 3` (two may be lost before the lease
 * ends), and one right away when the node's group changes so the admin sees it. Each heartbeat
 * tells where Redis has the node: `onResult` compares it with what the node believes.
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

  constructor(
    private readonly scripts: AssignmentScripts,
    private readonly nodeId: string,
    private readonly leaseMs: number,
    private readonly report: () => NodeReport,
    private readonly onResult: (result: HeartbeatResult) => void,
    private readonly onError: (error: Error) => void,
    private readonly waiting: () => boolean = () => false,
  ) {}

  get started(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.timer = setInterval(() => this.beat(), Math.max(10, Math.floor(this.leaseMs / 3)));
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
      try {
        const result = await this.scripts.heartbeat(this.nodeId, this.report());
        this.onResult(result);
        this.wakeAtNextExpiry(result);
      } catch (error) {
        this.onError(error as Error);
      } finally {
        this.busy = false;
      }
      if (this.again) {
        this.again = false;
        this.beat();
      }
    })();
  }

  private wakeAtNextExpiry({ nowMs, nextExpiryMs }: HeartbeatResult): void {
    if (!this.running || nextExpiryMs === null || !this.waiting()) return;
    const delay = nextExpiryMs - nowMs + 1;
    // Later than the next regular heartbeat: that one will do.
    if (delay >= this.leaseMs / 3) return;
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
