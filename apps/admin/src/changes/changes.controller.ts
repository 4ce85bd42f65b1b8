import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { TokenHolder } from '../auth/admin-token-registry';
import { RequiresRole } from '../auth/requires-role.decorator';
import { Holder } from '../auth/token-holder.decorator';
import { AdminEnvironments } from '../environments/admin-environments';
import { ErrorView } from '../groups/dto/group.views';
import { ChangeApprovals } from './change-approvals.service';
import type { ChangeRequest } from './change-request';
import { ListChangesQuery } from './dto/change.query';
import { ChangeView } from './dto/change.view';

/** Change requests of the protected environments: the two-person rule (DESIGN §19). */
@ApiTags('changes')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView, description: 'Missing or wrong bearer token' })
@ApiNotFoundResponse({ type: ErrorView, description: 'No such change request' })
@Controller('api/changes')
export class ChangesController {
  constructor(
    private readonly approvals: ChangeApprovals,
    private readonly environments: AdminEnvironments,
  ) {}

  @RequiresRole('reader')
  @Get()
  @ApiOperation({
    summary: 'Change requests, newest first (?env= one environment; default: every one)',
  })
  @ApiOkResponse({ type: [ChangeView] })
  list(@Query() query: ListChangesQuery): Promise<ChangeRequest[]> {
    const env = this.environments.askedExplicitly() ? this.environments.current() : null;
    return this.approvals.list({ env, status: query.status, group: query.group });
  }

  @RequiresRole('reader')
  @Get(':id')
  @ApiOperation({ summary: 'One change request, with its diff (never a secret value)' })
  @ApiOkResponse({ type: ChangeView })
  get(@Param('id') id: string): Promise<ChangeRequest> {
    return this.approvals.get(id);
  }

  @RequiresRole('writer')
  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Approve and apply (another token than the author), against the version it was made on',
  })
  @ApiOkResponse({ type: ChangeView })
  @ApiForbiddenResponse({ type: ErrorView, description: 'The author cannot approve' })
  @ApiConflictResponse({ type: ErrorView, description: 'Not pending, or stale (the group moved)' })
  approve(@Param('id') id: string, @Holder() holder: TokenHolder): Promise<ChangeRequest> {
    return this.approvals.approve(id, holder);
  }

  @RequiresRole('writer')
  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject: it is never applied' })
  @ApiOkResponse({ type: ChangeView })
  @ApiConflictResponse({ type: ErrorView, description: 'Not pending' })
  reject(@Param('id') id: string, @Holder() holder: TokenHolder): Promise<ChangeRequest> {
    return this.approvals.reject(id, holder);
  }

  @RequiresRole('writer')
  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw (its author only)' })
  @ApiOkResponse({ type: ChangeView })
  @ApiForbiddenResponse({ type: ErrorView, description: 'Not the author' })
  @ApiConflictResponse({ type: ErrorView, description: 'Not pending' })
  withdraw(@Param('id') id: string, @Holder() holder: TokenHolder): Promise<ChangeRequest> {
    return this.approvals.withdraw(id, holder);
  }
}
