import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
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
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type {
  ConfigGroupRecord,
  ConfigGroupWrite,
  HistoryEntry,
} from '@rcc/redis-config/publisher';
import { Audited } from '../audit/audited.decorator';
import type { TokenHolder } from '../auth/admin-token-registry';
import { Author } from '../auth/author.decorator';
import { RequiresRole } from '../auth/requires-role.decorator';
import { Holder } from '../auth/token-holder.decorator';
import { RevealQuery } from '../secrets/reveal.query';
import { SecretPolicy } from '../secrets/secret-policy';
import { CreateGroupDto } from './dto/create-group.dto';
import {
  DeletedGroupView,
  ErrorView,
  GroupSummaryView,
  GroupView,
  GroupWriteView,
  HistoryEntryView,
} from './dto/group.views';
import { ListGroupsQuery } from './dto/list-groups.query';
import { ReplaceGroupDto } from './dto/replace-group.dto';
import { RollbackGroupDto } from './dto/rollback-group.dto';
import { GroupAdminService, GroupSummaryWithNodes } from './group-admin.service';
import {
  GroupLookupNamePipe,
  LOOKUP_NAME_PARAM,
  WRITABLE_NAME_PARAM,
  WritableGroupNamePipe,
} from './group-name.pipe';

@ApiTags('groups')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView, description: 'Missing or wrong bearer token' })
@ApiBadRequestResponse({ type: ErrorView, description: 'A bad field, named in `problems`' })
@Controller('api/groups')
export class GroupsController {
  constructor(
    private readonly groups: GroupAdminService,
    private readonly secrets: SecretPolicy,
  ) {}

  @RequiresRole('reader')
  @Get()
  @ApiOperation({ summary: 'List groups (search: plain text inside names, case-insensitive)' })
  @ApiOkResponse({ type: [GroupSummaryView] })
  list(@Query() query: ListGroupsQuery): Promise<GroupSummaryWithNodes[]> {
    return this.groups.list(query.search);
  }

  @RequiresRole('reader')
  @Get(':name')
  @Audited('revealed')
  @ApiOperation({ summary: 'One group with its config' })
  @ApiParam(LOOKUP_NAME_PARAM)
  @ApiOkResponse({ type: GroupView })
  @ApiNotFoundResponse({ type: ErrorView })
  async get(
    @Param('name', GroupLookupNamePipe) name: string,
    @Query() query: RevealQuery,
    @Holder() holder: TokenHolder,
  ): Promise<ConfigGroupRecord> {
    const reveal = this.secrets.reveals(query.reveal, holder, `group ${name}`);
    return this.secrets.masked(await this.groups.get(name), reveal);
  }

  @RequiresRole('writer')
  @Post()
  @Audited('created')
  @ApiOperation({ summary: 'Create a group at version 0' })
  @ApiCreatedResponse({ type: GroupWriteView })
  @ApiConflictResponse({ type: ErrorView, description: 'The name is taken' })
  @ApiTooManyRequestsResponse({ type: ErrorView })
  async create(@Body() body: CreateGroupDto, @Author() author: string): Promise<ConfigGroupWrite> {
    // A new group has no stored secret for a mask to stand for: masks are refused (400).
    const config = this.secrets.restored(body.config, null);
    return this.secrets.masked(
      await this.groups.create(body.name, config, { author, comment: body.comment }),
    );
  }

  @RequiresRole('writer')
  @Put(':name')
  @Audited('published')
  @ApiOperation({ summary: 'Replace a group (creates it when absent); version + 1' })
  @ApiParam(WRITABLE_NAME_PARAM)
  @ApiOkResponse({ type: GroupWriteView })
  @ApiConflictResponse({ type: ErrorView, description: 'Stale expectedVersion' })
  @ApiTooManyRequestsResponse({ type: ErrorView })
  async replace(
    @Param('name', WritableGroupNamePipe) name: string,
    @Body() body: ReplaceGroupDto,
    @Author() author: string,
  ): Promise<ConfigGroupWrite> {
    // A config saved with its secrets still masked keeps the stored ones (read only when needed).
    const stored = this.secrets.holdsMasks(body.config) ? await this.groups.find(name) : null;
    const config = this.secrets.restored(body.config, stored);
    const written = await this.groups.publish(name, config, {
      author,
      comment: body.comment,
      expectedVersion: body.expectedVersion ?? stored?.version,
    });
    return this.secrets.masked(written);
  }

  @RequiresRole('writer')
  @Delete(':name')
  @Audited('deleted')
  @ApiOperation({ summary: 'Delete a group; the nodes holding it are reassigned' })
  @ApiParam(LOOKUP_NAME_PARAM)
  @ApiOkResponse({ type: DeletedGroupView })
  @ApiNotFoundResponse({ type: ErrorView })
  @ApiTooManyRequestsResponse({ type: ErrorView })
  delete(
    @Param('name', GroupLookupNamePipe) name: string,
    @Author() author: string,
  ): Promise<DeletedGroupView> {
    return this.groups.delete(name, author);
  }

  @RequiresRole('reader')
  @Get(':name/history')
  @Audited('revealed')
  @ApiOperation({ summary: 'Kept versions, newest first, with time, author and comment' })
  @ApiParam(LOOKUP_NAME_PARAM)
  @ApiOkResponse({ type: [HistoryEntryView] })
  @ApiNotFoundResponse({ type: ErrorView })
  async history(
    @Param('name', GroupLookupNamePipe) name: string,
    @Query() query: RevealQuery,
    @Holder() holder: TokenHolder,
  ): Promise<HistoryEntry[]> {
    const reveal = this.secrets.reveals(query.reveal, holder, `history of ${name}`);
    return (await this.groups.history(name)).map((entry) => this.secrets.masked(entry, reveal));
  }

  @RequiresRole('writer')
  @Post(':name/rollback')
  @Audited('rolled-back')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish the content of an earlier version as a new version' })
  @ApiParam(LOOKUP_NAME_PARAM)
  @ApiOkResponse({ type: GroupWriteView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'No such group, or version not kept' })
  @ApiConflictResponse({ type: ErrorView, description: 'Stale expectedVersion' })
  @ApiTooManyRequestsResponse({ type: ErrorView })
  async rollback(
    @Param('name', GroupLookupNamePipe) name: string,
    @Body() body: RollbackGroupDto,
    @Author() author: string,
  ): Promise<ConfigGroupWrite> {
    const written = await this.groups.rollback(name, body.version, {
      author,
      comment: body.comment,
      expectedVersion: body.expectedVersion,
    });
    return this.secrets.masked(written);
  }
}
