import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator';
import { HealthExceptionFilter } from './health-exception.filter';
import { RedisHealthIndicator } from './redis.health';

/** Probes for orchestrators: open without a token, and they reveal nothing but up/down. */
@ApiTags('health')
@Public()
@UseFilters(HealthExceptionFilter)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the service and its Redis (503 when Redis is down)' })
  @ApiServiceUnavailableResponse({ description: 'Redis does not answer' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.redis.isHealthy()]);
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (Redis not checked)' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }
}
