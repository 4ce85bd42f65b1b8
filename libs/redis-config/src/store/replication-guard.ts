import type { Redis } from 'ioredis';
import { RedisUnavailableError } from '../errors';

/** How long a count of connected replicas is trusted before ROLE is asked again. */
const REPLICA_COUNT_TTL_MS = 2000;

/**
 * Acknowledges a write only once the replicas that exist have it (`WAIT`), so that it survives a
 * failover. It waits for `min(wanted, connected replicas)`: with no replica connected (right after
 * a failover, say) a write is acknowledged on the master alone instead of failing until one returns.
 */
export class ReplicationGuard {
  private replicas: number | null = null;
  private checkedAt = 0;

  constructor(
    private readonly client: Redis,
    private readonly wanted: number,
    private readonly timeoutMs: number,
  ) {}

  async confirm(): Promise<void> {
    if (this.wanted === 0) return;
    const target = Math.min(this.wanted, await this.connectedReplicas(false));
    if (target === 0) return;
    const acknowledged = await this.client.wait(target, this.timeoutMs);
    if (acknowledged >= target) return;
    // Maybe a replica went away meanwhile: what counts is the replicas that exist now.
    if (acknowledged >= Math.min(this.wanted, await this.connectedReplicas(true))) return;
    throw new RedisUnavailableError(
      `the write reached ${acknowledged} of ${target} replica(s) within ${this.timeoutMs} ms ` +
        'and may be lost on failover',
    );
  }

  private async connectedReplicas(fresh: boolean): Promise<number> {
    if (!fresh && this.replicas !== null && Date.now() - this.checkedAt < REPLICA_COUNT_TTL_MS) {
      return this.replicas;
    }
    const role = (await this.client.call('ROLE')) as [string, ...unknown[]];
    this.replicas = role[0] === 'master' && Array.isArray(role[2]) ? role[2].length : 0;
    this.checkedAt = Date.now();
    return this.replicas;
  }
}
