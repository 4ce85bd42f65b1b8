import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { ConfigGroupRecord, HistoryEntry } from '@rcc/redis-config';
import { Author } from '../auth/author.decorator';
import { CreateGroupDto } from './dto/create-group.dto';
import { GroupNameParams, WritableGroupNameParams } from './dto/group-name.params';
import {
  DeletedGroupView,
  ErrorView,
  GroupSummaryView,
  GroupView,
  HistoryEntryView,
} from './dto/group.views';
import { ListGroupsQuery } from './dto/list-groups.query';
import { ReplaceGroupDto } from './dto/replace-group.dto';
import { RollbackGroupDto } from './dto/rollback-group.dto';
import { GroupAdminService, GroupSummaryWithNodes } from './group-admin.service';

@ApiTags('groups')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView, description: 'Missing or wrong bearer token' })
@ApiBadRequestResponse({ type: ErrorView, description: 'A bad field, named in `problems`' })
@Controller('api/groups')
export class GroupsController {
  constructor(private readonly groups: GroupAdminService) {}

  @Get()
  @ApiOperation({ summary: 'List groups (search: plain text inside names, case-insensitive)' })
  @ApiOkResponse({ type: [GroupSummaryView] })
  list(@Query() query: ListGroupsQuery): Promise<GroupSummaryWithNodes[]> {
    return this.groups.list(query.search);
  }

  @Get(':name')
  @ApiOperation({ summary: 'One group with its config' })
  @ApiOkResponse({ type: GroupView })
  @ApiNotFoundResponse({ type: ErrorView })
  get(@Param() params: GroupNameParams): Promise<ConfigGroupRecord> {
    return this.groups.get(params.name);
  }

  @Post()
  @ApiOperation({ summary: 'Create a group at version 0' })
  @ApiCreatedResponse({ type: GroupView })
  @ApiConflictResponse({ type: ErrorView, description: 'The name is taken' })
  @ApiTooManyRequestsResponse({ type: ErrorView })
  create(@Body() body: CreateGroupDto, @Author() author: string): Promise<ConfigGroupRecord> {
    return this.groups.create(body.name, body.config, { author, comment: body.comment });
  }

  @Put(':name')
  @ApiOperation({ summary: 'Replace a group (creates it when absent); version + 1' })
  @ApiOkResponse({ type: GroupView })
  @ApiConflictResponse({ type: ErrorView, description: 'Stale expectedVersion' })
  @ApiTooManyRequestsResponse({ type: ErrorView })
  replace(
    @Param() params: WritableGroupNameParams,
    @Body() body: ReplaceGroupDto,
    @Author() author: string,
  ): Promise<ConfigGroupRecord> {
    return this.groups.publish(params.name, body.config, {
      author,
      comment: body.comment,
      expectedVersion: body.expectedVersion,
    });
  }

  @Delete(':name')
  @ApiOperation({ summary: 'Delete a group; the nodes holding it are reassigned' })
  @ApiOkResponse({ type: DeletedGroupView })
  @ApiNotFoundResponse({ type: ErrorView })
  @ApiTooManyRequestsResponse({ type: ErrorView })
  delete(@Param() params: GroupNameParams): Promise<DeletedGroupView> {
    return this.groups.delete(params.name);
  }

  @Get(':name/history')
  @ApiOperation({ summary: 'Kept versions, newest first, with time, author and comment' })
  @ApiOkResponse({ type: [HistoryEntryView] })
  @ApiNotFoundResponse({ type: ErrorView })
  history(@Param() params: GroupNameParams): Promise<HistoryEntry[]> {
    return this.groups.history(params.name);
  }

  @Post(':name/rollback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish the content of an earlier version as a new version' })
  @ApiOkResponse({ type: GroupView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'No such group, or version not kept' })
  @ApiConflictResponse({ type: ErrorView, description: 'Stale expectedVersion' })
  @ApiTooManyRequestsResponse({ type: ErrorView })
  rollback(
    @Param() params: GroupNameParams,
    @Body() body: RollbackGroupDto,
    @Author() author: string,
  ): Promise<ConfigGroupRecord> {
    return this.groups.rollback(params.name, body.version, {
      author,
      comment: body.comment,
      expectedVersion: body.expectedVersion,
    });
  }
}
