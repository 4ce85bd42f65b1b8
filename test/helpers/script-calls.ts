import { INestApplicationContext } from '@nestjs/common';
import { RedisConfigConnection } from '@rcc/redis-config/connection/redis-config-connection';
import { waitFor } from './wait-for';

/** The node's periodic calls: its heartbeat (which carries the check when due) and the fallback tick. */
export const PERIODIC_SCRIPTS = ['rccHeartbeat', 'rccNodeTick'] as const;

/**
 * Counts the Redis scripts a node runs (`rccHeartbeat`, `rccAssign`…), as it runs them: each call
 * goes through unchanged to Redis; only its arguments and how it ended are recorded. A barrier for
 * tests that assert "nothing happened": they first wait for the node to have done its periodic work
 * N times (so a node that stopped working fails them), then assert.
 */
export class ScriptCalls {
  /** Calls answered by Redis, and calls that failed (Redis away), with their arguments. */
  readonly answered: unknown[][] = [];
  readonly failed: unknown[][] = [];
  private readonly restores: (() => void)[] = [];

  constructor(app: INestApplicationContext, scripts: readonly string[] = PERIODIC_SCRIPTS) {
    const client = app.get(RedisConfigConnection).client as unknown as Record<
      string,
      (...args: unknown[]) => Promise<unknown>
    >;
    for (const script of scripts) {
      const original = client[script];
      if (typeof original !== 'function') throw new Error(`No script ${script} on the client`);
      client[script] = (...args: unknown[]) => {
        const reply = original.apply(client, args);
        reply.then(
          () => this.answered.push(args),
          () => this.failed.push(args),
        );
        return reply;
      };
      this.restores.push(() => {
        client[script] = original;
      });
    }
  }

  /** Calls that ended (answered or failed) whose arguments include every one of `args`. */
  count(kind: 'answered' | 'failed', ...args: unknown[]): number {
    return this[kind].filter((call) => args.every((arg) => call.includes(arg))).length;
  }

  /** Waits until `n` more calls of `kind` (with `args`) have ended than when it was called. */
  async next(
    n: number,
    kind: 'answered' | 'failed',
    args: unknown[] = [],
    timeoutMs = 10_000,
  ): Promise<void> {
    const target = this.count(kind, ...args) + n;
    await waitFor(
      `${n} more ${kind} script calls${args.length ? ` with ${args.join(', ')}` : ''}`,
      () => this.count(kind, ...args) >= target,
      timeoutMs,
      5,
    );
  }

  restore(): void {
    for (const restore of this.restores.splice(0)) restore();
  }
}
