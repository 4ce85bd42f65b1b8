/** Timing of voluntary moves, derived from the lease so one setting scales them all. */
export interface RebalancePolicy {
  /** Wait after a trigger before asking, restarted by each new trigger (a flapping group settles). */
  settleMs: number;
  /** The longest a stream of triggers can put off the check. */
  maxDelayMs: number;
  /** Random extra wait, so the nodes of a cluster do not all ask in the same millisecond. */
  jitterMs: number;
  /** Least time between two voluntary moves of one node. */
  cooldownMs: number;
}

export function rebalancePolicy(leaseMs: number): RebalancePolicy {
  const settleMs = Math.min(500, Math.max(20, Math.round(leaseMs / 20)));
  return { settleMs, maxDelayMs: settleMs * 4, jitterMs: settleMs, cooldownMs: leaseMs };
}

/**
 * Turns rebalance triggers into few, late checks: debounced (`settleMs`, at most `maxDelayMs`),
 * jittered, and never sooner than `cooldownMs` after this node's last voluntary move. The check
 * itself (the Lua script) moves the node only if the imbalance is still there, so a group that
 * appears and disappears again within the settle time moves nobody, and a group that keeps
 * flapping slower than that moves each node at most once per cooldown.
 */
export class RebalanceScheduler {
  private timer: NodeJS.Timeout | null = null;
  private firstTriggerAt: number | null = null;
  private lastMoveAt = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly policy: RebalancePolicy,
    private readonly check: () => void,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Something may have unbalanced the groups. */
  trigger(): void {
    if (this.stopped) return;
    const now = this.now();
    this.firstTriggerAt ??= now;
    const settled = now + this.policy.settleMs + this.random() * this.policy.jitterMs;
    const due = Math.max(
      Math.min(settled, this.firstTriggerAt + this.policy.maxDelayMs),
      this.lastMoveAt + this.policy.cooldownMs,
    );
    this.arm(due - now);
  }

  /** This node just moved voluntarily: the next voluntary move waits for the cooldown. */
  moved(): void {
    this.lastMoveAt = this.now();
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private arm(delayMs: number): void {
    this.clear();
    this.timer = setTimeout(() => this.fire(), Math.max(0, delayMs));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    const cooledAt = this.lastMoveAt + this.policy.cooldownMs;
    if (this.now() < cooledAt) {
      this.arm(cooledAt - this.now());
      return;
    }
    this.firstTriggerAt = null;
    this.check();
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
