import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminEnvironments } from '../environments/admin-environments';
import { ErrorView } from '../groups/dto/group.views';
import { ServerInfoView } from './server-info.view';
import { serverInfo, ServerInfo } from './server-info';
import { RequiresRole } from '../auth/requires-role.decorator';

@ApiTags('info')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView })
@Controller('api/info')
export class InfoController {
  constructor(private readonly environments: AdminEnvironments) {}

  @RequiresRole('reader')
  @Get()
  @ApiOperation({ summary: 'Redis host, port, db, namespace and environment label' })
  @ApiOkResponse({ type: ServerInfoView })
  info(): ServerInfo {
    const environment = this.environments.current();
    return serverInfo(environment.options, environment.health.connected);
  }
}
