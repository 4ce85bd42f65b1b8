import { SecretDecryptionError } from '@rcc/redis-config';
import { RekeyResult } from '@rcc/redis-config/publisher';
import { CliError, EXIT_INVALID_INPUT } from '../cli-error';
import { Progress } from '../progress';
import { openStore, RedisTarget, resolveTarget } from '../store-session';
import { cliAuthor } from './cli-author';

export interface RekeyCommandOptions {
  dryRun: boolean;
  json: boolean;
}

/**
 * Re-encrypts every secret value of a namespace with the first key of `RCC_ENCRYPTION_KEY`,
 * decrypting with any of its keys, all-or-nothing (the library's `ConfigGroupStore.rekey`).
 */
export async function runRekey(
  target: RedisTarget,
  options: RekeyCommandOptions,
  progress: Progress,
): Promise<void> {
  if (!resolveTarget(target).encryption) {
    throw new CliError(
      'rekey needs RCC_ENCRYPTION_KEY: the new key first, then every key still in use ' +
        '(comma-separated, 32 bytes of base64 each)',
      EXIT_INVALID_INPUT,
    );
  }
  progress.step('connecting to Redis');
  const session = await openStore(target);
  try {
    progress.step(options.dryRun ? 'planning the rekey' : 'rekeying');
    let result: RekeyResult;
    try {
      result = await session.store.rekey({ dryRun: options.dryRun, author: cliAuthor() });
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      throw new CliError(
        `${error.message}; nothing was written (give the key it was encrypted with in RCC_ENCRYPTION_KEY)`,
      );
    }
    progress.end();
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ target: session.description, ...result }, null, 2)}\n`
        : formatRekeySummary(result, session.description),
    );
  } finally {
    await session.close();
  }
}

/** One line per changed group: names, versions and counts only (never a value). */
export function formatRekeySummary(result: RekeyResult, target: string): string {
  const { groups, checked, keyId } = result;
  const unchanged = checked - groups.filter((group) => group.newVersion !== null).length;
  const head = result.dryRun
    ? `Dry run on ${target}: would re-encrypt ${groups.length} of ${checked} group(s) with key id ` +
      `"${keyId}". Nothing was written.`
    : `Rekeyed ${target} with key id "${keyId}": ${groups.length} of ${checked} group(s) ` +
      `re-encrypted, ${unchanged} without a new version.`;
  const width = Math.max(
    0,
    ...groups.map((group) => group.name.length),
    ...result.rolloutCandidates.map((name) => name.length),
  );
  const lines = [head];
  for (const group of groups) {
    const versions =
      group.newVersion === null
        ? `v${group.version} (history only)`
        : `v${group.version} -> v${group.newVersion}`;
    lines.push(
      `  ${group.name.padEnd(width)}  ${versions}  ${group.values} value(s), ` +
        `${group.historyEntries} history entr${group.historyEntries === 1 ? 'y' : 'ies'}`,
    );
  }
  for (const name of result.rolloutCandidates) {
    lines.push(`  ${name.padEnd(width)}  rollout candidate re-encrypted`);
  }
  if (groups.length + result.rolloutCandidates.length === 0) {
    lines.push('  (nothing to re-encrypt)');
  }
  return `${lines.join('\n')}\n`;
}
