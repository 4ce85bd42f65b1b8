/**
 * Runs `work` one pass at a time: asks that come while a pass runs make exactly one more pass
 * after it, so a burst of asks (a timer, a write, a message) costs at most two passes.
 * `work` handles its own errors.
 */
export class CoalescingRun {
  private current: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly work: () => Promise<void>) {}

  /** A pass now, or one more after the running one. */
  ask(): void {
    if (this.stopped) return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.current = this.work().finally(() => {
      this.current = null;
      if (this.again) {
        this.again = false;
        this.ask();
      }
    });
  }

  /** No pass after this; resolves once the one in flight has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.current) await this.current;
  }
}
