import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { RequiresRole } from '../auth/requires-role.decorator';
import { ErrorView } from '../groups/dto/group.views';
import { AdminEnvironments } from './admin-environments';
import { EnvironmentView } from './dto/environment.view';

@ApiTags('environments')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView, description: 'Missing or wrong bearer token' })
@Controller('api/environments')
export class EnvironmentsController {
  constructor(private readonly environments: AdminEnvironments) {}

  @RequiresRole('reader')
  @Get()
  @ApiOperation({
    summary: 'The environments this admin serves, in order (the first is the default)',
  })
  @ApiOkResponse({ type: [EnvironmentView] })
  list(): EnvironmentView[] {
    return this.environments.views();
  }
}
