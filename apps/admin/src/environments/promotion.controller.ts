import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import type { TokenHolder } from '../auth/admin-token-registry';
import { RequiresRole } from '../auth/requires-role.decorator';
import { Holder } from '../auth/token-holder.decorator';
import { ErrorView } from '../groups/dto/group.views';
import { GroupAdminService } from '../groups/group-admin.service';
import { LOOKUP_NAME_PARAM, GroupLookupNamePipe } from '../groups/group-name.pipe';
import { rolloutView } from '../rollouts/rollout-view';
import { RolloutService } from '../rollouts/rollout.service';
import { SecretPolicy } from '../secrets/secret-policy';
import { AdminEnvironments } from './admin-environments';
import { ComparisonView, PromotionView } from './dto/comparison.view';
import { CompareQuery, PromoteDto } from './dto/promotion.dto';
import { PromotionService } from './promotion.service';

/** Compare a group between two environments, and promote it (DESIGN §19). */
@ApiTags('environments')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView, description: 'Missing or wrong bearer token' })
@ApiBadRequestResponse({ type: ErrorView, description: 'A bad field, or an unknown environment' })
@ApiNotFoundResponse({ type: ErrorView, description: 'No such group' })
@Controller('api/groups/:name')
export class PromotionController {
  constructor(
    private readonly promotion: PromotionService,
    private readonly environments: AdminEnvironments,
    private readonly groups: GroupAdminService,
    private readonly rollouts: RolloutService,
    private readonly secrets: SecretPolicy,
  ) {}

  @RequiresRole('reader')
  @Get('compare')
  @ApiOperation({
    summary: 'Compare a group key by key between two environments (secret values never shown)',
  })
  @ApiParam(LOOKUP_NAME_PARAM)
  @ApiOkResponse({ type: ComparisonView })
  compare(
    @Param('name', GroupLookupNamePipe) name: string,
    @Query() query: CompareQuery,
  ): Promise<ComparisonView> {
    return this.promotion.compare(name, query.from, query.to);
  }

  @RequiresRole('writer')
  @Post('promote')
  @Audited('promoted')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish into `to` the values of `from` (default: every differing non-secret key)',
    description:
      'With `steps`, starts a rollout in `to` instead (DESIGN §13). Secret keys stay as they are ' +
      'in `to` unless an admin lists them in `keys`. Into a protected environment: 202, a change ' +
      'request.',
  })
  @ApiParam(LOOKUP_NAME_PARAM)
  @ApiOkResponse({ description: 'The write (or rollout) made, with `promotion`' })
  @ApiForbiddenResponse({ type: ErrorView, description: 'A secret key listed by a non-admin' })
  @ApiConflictResponse({ type: ErrorView, description: 'Stale expectedVersion of `to`' })
  async promote(
    @Param('name', GroupLookupNamePipe) name: string,
    @Body() body: PromoteDto,
    @Holder() holder: TokenHolder,
  ): Promise<Record<string, unknown> & { promotion: PromotionView }> {
    const plan = await this.promotion.plan(name, body, holder);
    const promotion = plan.view;
    if (promotion.keys.length === 0) return { name, promotion };
    // The request acts in `to` from here: its audit entry and webhooks go there.
    this.environments.actIn(plan.to);
    const meta = {
      author: holder.label,
      comment: body.comment ?? `promoted from ${plan.from.name} (version ${plan.source.version})`,
      expectedVersion: plan.target?.version,
    };
    if (body.steps) {
      const reading = await this.rollouts.start(name, {
        ...meta,
        action: 'promote',
        config: plan.config,
        steps: body.steps.map(({ percent, bakeMs }) => ({ percent, bakeMs })),
      });
      return { ...this.secrets.masked(rolloutView(reading)), promotion };
    }
    const written = await this.groups.publish(name, plan.config, { ...meta, action: 'promote' });
    return { ...this.secrets.masked(written), promotion };
  }
}
