import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import type { TokenHolder } from '../auth/admin-token-registry';
import { Author } from '../auth/author.decorator';
import { RequiresRole } from '../auth/requires-role.decorator';
import { Holder } from '../auth/token-holder.decorator';
import { ErrorView } from '../groups/dto/group.views';
import {
  GroupLookupNamePipe,
  LOOKUP_NAME_PARAM,
  WRITABLE_NAME_PARAM,
  WritableGroupNamePipe,
} from '../groups/group-name.pipe';
import { RevealQuery } from '../secrets/reveal.query';
import { SecretPolicy } from '../secrets/secret-policy';
import { StartRolloutDto } from './dto/start-rollout.dto';
import { RolloutView } from './dto/rollout.view';
import { rolloutView } from './rollout-view';
import { RolloutService } from './rollout.service';

/** Safe rollouts (DESIGN §13): verified by the nodes, then canary steps, rolled back on a problem. */
@ApiTags('rollouts')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView, description: 'Missing or wrong bearer token' })
@ApiBadRequestResponse({ type: ErrorView, description: 'A bad field, named in `problems`' })
@Controller('api/groups/:name/rollouts')
export class RolloutsController {
  constructor(
    private readonly rollouts: RolloutService,
    private readonly secrets: SecretPolicy,
  ) {}

  @RequiresRole('writer')
  @Post()
  @Audited('rollout-started')
  @ApiOperation({
    summary: 'Roll a new config out: every live holder verifies it, then canary steps',
    description:
      'Answers once verification is done (up to RCC_ROLLOUT_VERIFY_MS, 3 s by default): 201 with ' +
      'the rollout (canary, or promoted when there are no steps), or 422 with the nodes that ' +
      'refused it or did not answer; nothing changes then.',
  })
  @ApiParam(WRITABLE_NAME_PARAM)
  @ApiCreatedResponse({ type: RolloutView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'No such group' })
  @ApiConflictResponse({ type: ErrorView, description: 'A rollout runs, or stale expectedVersion' })
  @ApiUnprocessableEntityResponse({ type: ErrorView, description: 'Refused by the nodes' })
  async start(
    @Param('name', WritableGroupNamePipe) name: string,
    @Body() body: StartRolloutDto,
    @Author() author: string,
  ): Promise<RolloutView> {
    const stored = this.secrets.holdsMasks(body.config) ? await this.rollouts.stableOf(name) : null;
    const config = this.secrets.restored(body.config, stored && { config: stored });
    const reading = await this.rollouts.start(name, {
      config,
      expectedVersion: body.expectedVersion,
      steps: body.steps?.map(({ percent, bakeMs }) => ({ percent, bakeMs })),
      comment: body.comment,
      author,
    });
    return this.secrets.masked(rolloutView(reading));
  }

  @RequiresRole('reader')
  @Get()
  @ApiOperation({
    summary: "The group's latest rollout as a list: [] when it never had one",
    description:
      'For a client that does not know whether a rollout exists (the console): the same view ' +
      'as `GET …/rollouts/current` (masked), in a list of at most one, so that "none yet" is ' +
      'a 200 with []; `…/current` still answers 404 then.',
  })
  @ApiParam(LOOKUP_NAME_PARAM)
  @ApiOkResponse({ type: [RolloutView] })
  @ApiNotFoundResponse({ type: ErrorView, description: 'No such group' })
  async list(@Param('name', GroupLookupNamePipe) name: string): Promise<RolloutView[]> {
    const reading = await this.rollouts.latest(name);
    return reading ? [this.secrets.masked(rolloutView(reading))] : [];
  }

  @RequiresRole('reader')
  @Get('current')
  @Audited('revealed')
  @ApiOperation({ summary: 'The latest rollout of the group, running or finished' })
  @ApiParam(LOOKUP_NAME_PARAM)
  @ApiOkResponse({ type: RolloutView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'No such group, or it has no rollout' })
  async current(
    @Param('name', GroupLookupNamePipe) name: string,
    @Query() query: RevealQuery,
    @Holder() holder: TokenHolder,
  ): Promise<RolloutView> {
    const reveal = this.secrets.reveals(query.reveal, holder, `rollout of ${name}`);
    return this.secrets.masked(rolloutView(await this.rollouts.read(name)), reveal);
  }

  @RequiresRole('writer')
  @Post('current/promote')
  @HttpCode(200)
  @Audited('rollout-promoted')
  @ApiOperation({ summary: "Finish now: the candidate becomes the group's next version" })
  @ApiParam(LOOKUP_NAME_PARAM)
  @ApiOkResponse({ type: RolloutView })
  @ApiNotFoundResponse({ type: ErrorView })
  @ApiConflictResponse({ type: ErrorView, description: 'No running rollout' })
  async promote(
    @Param('name', GroupLookupNamePipe) name: string,
    @Author() author: string,
  ): Promise<RolloutView> {
    return this.secrets.masked(rolloutView(await this.rollouts.promote(name, author)));
  }

  @RequiresRole('writer')
  @Post('current/abort')
  @HttpCode(200)
  @Audited('rollout-aborted')
  @ApiOperation({ summary: 'Stop now: canary nodes return to the stable version' })
  @ApiParam(LOOKUP_NAME_PARAM)
  @ApiOkResponse({ type: RolloutView })
  @ApiNotFoundResponse({ type: ErrorView })
  @ApiConflictResponse({ type: ErrorView, description: 'No running rollout' })
  async abort(
    @Param('name', GroupLookupNamePipe) name: string,
    @Author() author: string,
  ): Promise<RolloutView> {
    return this.secrets.masked(rolloutView(await this.rollouts.abort(name, author)));
  }
}
