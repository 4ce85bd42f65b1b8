import { rename, writeFile } from 'node:fs/promises';
import { CliError } from '../cli-error';
import { Progress } from '../progress';
import { openStore, RedisTarget } from '../store-session';

export interface ExportCommandOptions {
  out?: string;
}

/**
 * Writes every group as the old project's export file, to `--out` or stdout. The file is written
 * next to its final name then renamed, so a failure never leaves half a file behind.
 */
export async function runExport(
  target: RedisTarget,
  options: ExportCommandOptions,
  progress: Progress,
): Promise<void> {
  progress.step('connecting to Redis');
  const session = await openStore(target);
  try {
    progress.step(`reading groups from ${session.description}`);
    const entries = await session.store.export();
    const json = `${JSON.stringify(entries, null, 2)}\n`;
    if (options.out === undefined) {
      process.stdout.write(json);
    } else {
      const partial = `${options.out}.${process.pid}.partial`;
      try {
        await writeFile(partial, json, 'utf8');
        await rename(partial, options.out);
      } catch (error) {
        throw new CliError(`cannot write "${options.out}": ${(error as Error).message}`);
      }
    }
    progress.end();
    const where = options.out === undefined ? 'stdout' : `"${options.out}"`;
    process.stderr.write(
      `Exported ${entries.length} group(s) from ${session.description} to ${where}.\n`,
    );
  } finally {
    await session.close();
  }
}
