import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { NodeInfo } from '@rcc/redis-config/publisher';
import { AdminEnvironments } from '../environments/admin-environments';
import { ErrorView } from '../groups/dto/group.views';
import { NodeView } from './node.views';
import { RequiresRole } from '../auth/requires-role.decorator';

@ApiTags('nodes')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView })
@Controller('api/nodes')
export class NodesController {
  constructor(private readonly environments: AdminEnvironments) {}

  @RequiresRole('reader')
  @Get()
  @ApiOperation({ summary: 'Live nodes (unexpired leases), sorted by id' })
  @ApiOkResponse({ type: [NodeView] })
  list(): Promise<NodeInfo[]> {
    return this.environments.current().nodes.list();
  }
}
