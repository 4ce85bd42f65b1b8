import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { RedisConfigHealth } from '@rcc/redis-config';

const PING_TIMEOUT_MS = 1000;

/** Redis is up when it answers PING within a second on the admin's own connection. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly redis: RedisConfigHealth,
  ) {}

  async isHealthy(key = 'redis'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      const latencyMs = await this.redis.ping(PING_TIMEOUT_MS);
      return indicator.up({ latencyMs: Math.round(latencyMs) });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
