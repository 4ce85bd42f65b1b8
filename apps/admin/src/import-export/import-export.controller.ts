import {
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ConfigGroupStore, ExportEntry, ImportResult } from '@rcc/redis-config';
import type { Response } from 'express';
import { Audited } from '../audit/audited.decorator';
import { Author } from '../auth/author.decorator';
import { ErrorView } from '../groups/dto/group.views';
import { ConfigWrites } from '../webhooks/config-writes';
import { ImportQuery } from './dto/import.query';
import { ExportEntryView, ImportResultView } from './dto/import.views';
import { readImportUpload, UploadedImportFile } from './import-upload';
import { RequiresRole } from '../auth/requires-role.decorator';

@ApiTags('import-export')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView })
@Controller('api')
export class ImportExportController {
  constructor(
    private readonly store: ConfigGroupStore,
    private readonly writes: ConfigWrites,
  ) {}

  @RequiresRole('reader')
  @Get('export')
  @ApiOperation({ summary: "All groups, in the old project's export file format" })
  @ApiOkResponse({ type: [ExportEntryView] })
  async export(@Res({ passthrough: true }) response: Response): Promise<ExportEntry[]> {
    const entries = await this.store.export();
    const day = new Date().toISOString().slice(0, 10);
    response.setHeader('Content-Disposition', `attachment; filename="rcc-export-${day}.json"`);
    return entries;
  }

  @RequiresRole('writer')
  @Post('import')
  @Audited('imported')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({
    summary: 'Import an export file (JSON body or multipart `file`), all-or-nothing',
    description:
      'A file with any invalid entry is refused whole (400, every problem listed); nothing is ' +
      'written. A new group keeps its file version; a changed one gets its version + 1.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    description: 'The export file: `[{group_name, group_version, config_dict}]`',
    schema: {
      oneOf: [
        { type: 'array', items: { $ref: '#/components/schemas/ExportEntryView' } },
        { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
      ],
    },
  })
  @ApiOkResponse({ type: ImportResultView })
  @ApiBadRequestResponse({ type: ErrorView })
  @ApiConflictResponse({ type: ErrorView, description: 'A group changed while importing' })
  @ApiPayloadTooLargeResponse({ type: ErrorView })
  async import(
    @Query() query: ImportQuery,
    @Body() body: unknown,
    @Author() author: string,
    @UploadedFile() file?: UploadedImportFile,
  ): Promise<ImportResult> {
    const content = file ? readImportUpload(file) : body;
    const result = await this.store.import(content, { dryRun: query.dryRun ?? false, author });
    if (result.applied) await this.writes.recordImport(result, author);
    return result;
  }
}
