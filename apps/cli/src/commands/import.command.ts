import { parseImportFile } from '@rcc/redis-config/publisher';
import { formatImportSummary } from '../import-summary';
import { readJsonInput } from '../json-input';
import { Progress } from '../progress';
import { openStore, RedisTarget } from '../store-session';
import { cliAuthor } from './cli-author';

export interface ImportCommandOptions {
  dryRun: boolean;
  json: boolean;
  comment?: string;
}

/**
 * Imports an export file (the old console's format), all-or-nothing. The file is checked whole
 * before Redis is even contacted, so a bad file lists every problem and writes nothing.
 */
export async function runImport(
  target: RedisTarget,
  file: string,
  options: ImportCommandOptions,
  progress: Progress,
): Promise<void> {
  progress.step(`reading ${file === '-' ? 'stdin' : `"${file}"`}`);
  const content = await readJsonInput(file);
  const entries = parseImportFile(content);
  progress.step(`connecting to Redis (${entries.length} group(s) in the file)`);
  const session = await openStore(target);
  try {
    progress.step(`${options.dryRun ? 'planning' : 'writing'} ${entries.length} group(s)`);
    const result = await session.store.import(content, {
      dryRun: options.dryRun,
      author: cliAuthor(),
      comment: options.comment,
    });
    progress.end();
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ target: session.description, ...result }, null, 2)}\n`
        : formatImportSummary(result, session.description),
    );
  } finally {
    await session.close();
  }
}
