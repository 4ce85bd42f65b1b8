import { Controller, Get, Inject } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { RedisConfigHealth } from '@rcc/redis-config';
import {
  RESOLVED_REDIS_CONFIG_OPTIONS,
  ResolvedRedisConfigOptions,
} from '@rcc/redis-config/publisher';
import { ErrorView } from '../groups/dto/group.views';
import { ServerInfoView } from './server-info.view';
import { serverInfo, ServerInfo } from './server-info';
import { RequiresRole } from '../auth/requires-role.decorator';

@ApiTags('info')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView })
@Controller('api/info')
export class InfoController {
  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly redis: RedisConfigHealth,
  ) {}

  @RequiresRole('reader')
  @Get()
  @ApiOperation({ summary: 'Redis host, port, db, namespace and environment label' })
  @ApiOkResponse({ type: ServerInfoView })
  info(): ServerInfo {
    return serverInfo(this.options, this.redis.connected);
  }
}
