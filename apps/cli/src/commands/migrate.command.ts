import type { ExportEntry } from '@rcc/redis-config/publisher';
import { CliError, EXIT_INVALID_INPUT } from '../cli-error';
import { formatImportSummary } from '../import-summary';
import { Progress } from '../progress';
import { describeTarget, openStore, RedisTarget, resolveTarget } from '../store-session';
import { cliAuthor } from './cli-author';

export interface MigrateCommandOptions {
  dryRun: boolean;
  json: boolean;
}

/**
 * The old console's data migration: every group of one Redis copied to another through the store
 * (export, then an all-or-nothing import), so the target records history and notifies its nodes.
 * Groups that only the target holds are left alone.
 */
export async function runMigrate(
  from: RedisTarget,
  to: RedisTarget,
  options: MigrateCommandOptions,
  progress: Progress,
): Promise<void> {
  const source = describeTarget(resolveTarget(from));
  const target = describeTarget(resolveTarget(to));
  if (source === target) {
    throw new CliError(`--from and --to are the same (${source})`, EXIT_INVALID_INPUT);
  }
  progress.step(`connecting to the source ${source}`);
  const sourceSession = await openStore(from);
  let entries: ExportEntry[];
  try {
    progress.step('reading every group from the source');
    entries = await sourceSession.store.export();
  } finally {
    await sourceSession.close();
  }
  progress.step(`connecting to the target ${target} (${entries.length} group(s) to copy)`);
  const targetSession = await openStore(to);
  try {
    progress.step(`${options.dryRun ? 'planning' : 'writing'} ${entries.length} group(s)`);
    const result = await targetSession.store.import(entries, {
      dryRun: options.dryRun,
      author: cliAuthor(),
      comment: `migrated from ${source}`,
    });
    progress.end();
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ source, target, ...result }, null, 2)}\n`
        : `Source: ${source}\n${formatImportSummary(result, target)}`,
    );
  } finally {
    await targetSession.close();
  }
}
