import { Injectable } from '@nestjs/common';
import { RedisConfigConnection } from './redis-config-connection';

/**
 * Whether the module's Redis answers, for an app's health checks and metrics (the admin's
 * `/health` uses it). Reads only: it never opens, closes or retries a connection.
 */
@Injectable()
export class RedisConfigHealth {
  /** @internal Built by Nest's injector. */
  constructor(private readonly connection: RedisConfigConnection) {}

  /** True while the module's command connection is connected and ready. */
  get connected(): boolean {
    return this.connection.ready;
  }

  /**
   * One `PING` on the module's own connection: resolves with the round trip in milliseconds, or
   * rejects when Redis does not answer within `timeoutMs` (or the connection is down).
   */
  async ping(timeoutMs = 1000): Promise<number> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no PONG within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.connection.client.ping(), timeout]);
      return performance.now() - started;
    } finally {
      clearTimeout(timer);
    }
  }
}
