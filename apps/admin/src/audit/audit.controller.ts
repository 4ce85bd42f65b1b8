import { Controller, Get, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { RequiresRole } from '../auth/requires-role.decorator';
import { ErrorView } from '../groups/dto/group.views';
import type { AuditEntry } from './audit-entry';
import { AuditLog } from './audit-log';
import { AuditQuery } from './dto/audit.query';

@ApiTags('audit')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView })
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @RequiresRole('admin') // DESIGN §14: who did what is an admin's view
  @ApiOperation({
    summary: 'The audit log, newest first: writes, reveals, refused requests (no secret values)',
    description: '`format=jsonl`: one JSON object a line, as a download (an export of the log).',
  })
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiOkResponse({
    description: 'Entries: at, action, actor, role, address, group, versions, keys',
  })
  async list(
    @Query() query: AuditQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuditEntry[] | string> {
    const entries = await this.audit.list({
      group: query.group,
      actor: query.actor,
      action: query.action,
      limit: query.limit ?? 100,
    });
    if (query.format !== 'jsonl') return entries;
    response.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="rcc-audit.jsonl"');
    return entries.map((entry) => JSON.stringify(entry)).join('\n') + (entries.length ? '\n' : '');
  }
}
