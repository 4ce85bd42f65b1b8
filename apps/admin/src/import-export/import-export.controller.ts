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
import {
  ConfigGroupStore,
  ExportEntry,
  ImportResult,
  parseImportFile,
  RolloutRunningError,
  RolloutEngine,
} from '@rcc/redis-config/publisher';
import type { Response } from 'express';
import { Audited } from '../audit/audited.decorator';
import type { TokenHolder } from '../auth/admin-token-registry';
import { Author } from '../auth/author.decorator';
import { RequiresRole } from '../auth/requires-role.decorator';
import { Holder } from '../auth/token-holder.decorator';
import { RevealQuery } from '../secrets/reveal.query';
import { AdminEnvironments } from '../environments/admin-environments';
import { SecretPolicy } from '../secrets/secret-policy';
import { ChangeGate, type IntendedWrite } from '../changes/change-gate';
import type { ConfigDict } from '@rcc/redis-config';
import { ErrorView } from '../groups/dto/group.views';
import { ConfigWrites } from '../webhooks/config-writes';
import { ImportQuery } from './dto/import.query';
import { ExportEntryView, ImportResultView } from './dto/import.views';
import { readImportUpload, UploadedImportFile } from './import-upload';

@ApiTags('import-export')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView })
@Controller('api')
export class ImportExportController {
  constructor(
    private readonly environments: AdminEnvironments,
    private readonly writes: ConfigWrites,
    private readonly secrets: SecretPolicy,
    private readonly gate: ChangeGate,
  ) {}

  /** An import in a protected environment, as a change request: its diff key by key, `group/key`. */
  private async intendedImport(entries: ExportEntry[], author: string): Promise<IntendedWrite> {
    const before: ConfigDict = {};
    const after: ConfigDict = {};
    const baseVersions: Record<string, number | null> = {};
    for (const entry of entries) {
      const stored = await this.store.get(entry.group_name);
      baseVersions[entry.group_name] = stored?.version ?? null;
      for (const [key, value] of Object.entries(stored?.config ?? {}))
        before[`${entry.group_name}/${key}`] = value;
      for (const [key, value] of Object.entries(entry.config_dict ?? {}))
        after[`${entry.group_name}/${key}`] = value;
    }
    return {
      action: 'import',
      group: null,
      groups: entries.map((entry) => entry.group_name),
      author,
      baseVersion: null,
      before,
      after,
      payload: {
        entries: entries.map((entry) => ({
          group: entry.group_name,
          version: entry.group_version,
          config: entry.config_dict ?? {},
        })),
        baseVersions,
      },
    };
  }

  /** The store of the environment the request asked for (`?env=`). */
  private get store(): ConfigGroupStore {
    return this.environments.current().store;
  }

  private get rollouts(): RolloutEngine {
    return this.environments.current().rollouts;
  }

  @RequiresRole('reader')
  @Get('export')
  @Audited('revealed')
  @ApiOperation({ summary: "All groups, in the old project's export file format" })
  @ApiOkResponse({ type: [ExportEntryView] })
  async export(
    @Res({ passthrough: true }) response: Response,
    @Query() query: RevealQuery,
    @Holder() holder: TokenHolder,
  ): Promise<ExportEntry[]> {
    const reveal = this.secrets.reveals(query.reveal, holder, 'export');
    const entries = this.secrets.maskedEntries(
      await this.store.export({ sealedKeys: true }),
      reveal,
    );
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
    @Holder() holder: TokenHolder,
    @UploadedFile() file?: UploadedImportFile,
  ): Promise<ImportResult> {
    const content = file ? readImportUpload(file) : body;
    // A masked export imported back keeps the stored secrets; a mask with nothing stored is a 400.
    const parsed = parseImportFile(content);
    const entries = await Promise.all(
      parsed.map(async (entry, index) => {
        if (!entry.config_dict || !this.secrets.holdsMasks(entry.config_dict)) return entry;
        const stored = await this.store.get(entry.group_name);
        const config = this.secrets.restored(entry.config_dict, stored, `[${index}].config_dict`);
        return { ...entry, config_dict: config };
      }),
    );
    if (!query.dryRun) {
      // A running rollout owns its group's next version number (DESIGN §13): the import waits.
      const running = new Set(await this.rollouts.running());
      const blocked = entries.find((entry) => running.has(entry.group_name));
      if (blocked) throw new RolloutRunningError(blocked.group_name, '');
      await this.gate.pass(() => this.intendedImport(entries, author));
    }
    const result = await this.store.import(entries, { dryRun: query.dryRun ?? false, author });
    if (result.applied) await this.writes.recordImport(result, author);
    // An admin may read every secret anyway (?reveal=true): its preview is exact.
    return result.dryRun && holder.role !== 'admin' ? this.blindToSecrets(result, parsed) : result;
  }

  /**
   * For a token that may not read secrets, a preview that cannot be used to test guesses of one
   * (issue 23 #5): a group whose entry
   * gives a secret key a value in clear is shown as `update` even when every value equals the
   * stored one, since `unchanged` would confirm a right guess. The import itself decides again on
   * the real comparison (and is audited as a write).
   */
  private blindToSecrets(result: ImportResult, file: readonly ExportEntry[]): ImportResult {
    const givingSecrets = new Set(
      file
        .filter((entry) => entry.config_dict && this.secrets.givesSecrets(entry.config_dict))
        .map((entry) => entry.group_name),
    );
    const plan = result.entries.map((entry) =>
      entry.action === 'unchanged' && givingSecrets.has(entry.name)
        ? { ...entry, action: 'update' as const, newVersion: (entry.currentVersion ?? -1) + 1 }
        : entry,
    );
    const named = (action: string) => plan.filter((p) => p.action === action).map((p) => p.name);
    return {
      ...result,
      entries: plan,
      created: named('create'),
      updated: named('update'),
      unchanged: named('unchanged'),
    };
  }
}
