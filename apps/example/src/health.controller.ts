import { Controller, Get } from '@nestjs/common';
import { ConfigGroupService, RedisConfigHealth } from '@rcc/redis-config';

/**
 * Liveness for container healthchecks. A node keeps serving from memory while Redis is down,
 * so a Redis outage is reported but does not make the node unhealthy.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly config: ConfigGroupService,
    private readonly redis: RedisConfigHealth,
  ) {}

  @Get()
  check(): { status: 'ok'; redis: 'up' | 'down'; group: string | null } {
    return {
      status: 'ok',
      redis: this.redis.connected ? 'up' : 'down',
      group: this.config.getConfigGroup()?.name ?? null,
    };
  }
}
