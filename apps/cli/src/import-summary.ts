import type { ImportPlanEntry, ImportResult } from '@rcc/redis-config/publisher';

const version = (value: number | null) => (value === null ? '-' : `v${value}`);

function entryLine(entry: ImportPlanEntry, width: number): string {
  const name = entry.name.padEnd(width);
  if (entry.action === 'create') return `  create     ${name}  new at ${version(entry.newVersion)}`;
  if (entry.action === 'update') {
    return `  update     ${name}  ${version(entry.currentVersion)} -> ${version(entry.newVersion)}`;
  }
  return `  unchanged  ${name}  ${version(entry.currentVersion)}`;
}

/**
 * What an import (or a migration) did, or would do with `--dry-run`: the counts, then one line
 * per group with its versions. Only names and versions: values may be API keys.
 */
export function formatImportSummary(result: ImportResult, target: string): string {
  const { created, updated, unchanged, entries } = result;
  const head = result.dryRun
    ? `Dry run on ${target}: would create ${created.length}, update ${updated.length}, ` +
      `leave ${unchanged.length} unchanged. Nothing was written.`
    : `Imported into ${target}: created ${created.length}, updated ${updated.length}, ` +
      `unchanged ${unchanged.length}.`;
  const width = Math.max(0, ...entries.map((entry) => entry.name.length));
  const lines = [head, ...entries.map((entry) => entryLine(entry, width))];
  if (entries.length === 0) lines.push('  (no groups)');
  return `${lines.join('\n')}\n`;
}
