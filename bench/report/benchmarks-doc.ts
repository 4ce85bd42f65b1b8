import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { BenchResult, markdownTable, REPO_ROOT, RESULTS_DIR } from '../lib/bench-report';

export const BENCHMARKS_DOC = join(REPO_ROOT, 'docs', 'BENCHMARKS.md');

/** The benches whose figures this writer puts into docs/BENCHMARKS.md, in the doc's order. */
export const REPORTED_BENCHES = [
  'read-path',
  'propagation',
  'idle-cost',
  'startup',
  'admin',
  'memory',
  'openfeature',
];

const startMarker = (name: string) => `<!-- bench:${name}:start -->`;
const endMarker = (name: string) => `<!-- bench:${name}:end -->`;

export function readResult(name: string): BenchResult | null {
  const file = join(RESULTS_DIR, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResult) : null;
}

function block(result: BenchResult): string {
  const { machine } = result;
  const lines = [
    `Command: \`${result.command}\``,
    '',
    `Measured ${machine.date.slice(0, 16).replace('T', ' ')} UTC, Node ${machine.node}, ` +
      `${machine.cpus} cores (${machine.cpuModel}, shared; load average ${machine.loadAverage} at ` +
      `the start), ${result.durationS} s; commit \`${machine.commit}\`` +
      `${machine.libraryDirty ? ' with uncommitted library changes' : ''}.`,
    '',
    result.markdown,
  ];
  if (result.goals.length) {
    lines.push(
      '',
      ...result.goals.map(
        (g) => `- ${g.met ? '✅ met' : '❌ missed'}: ${g.goal} — measured ${g.measured}`,
      ),
    );
  }
  return lines.join('\n');
}

function summary(results: BenchResult[]): string {
  const rows = [['question', 'goal', 'measured', 'met']];
  for (const result of results) {
    for (const goal of result.goals) {
      rows.push([result.name, goal.goal, goal.measured, goal.met ? '✅' : '❌']);
    }
  }
  return markdownTable(rows);
}

/** A generated block as `prettier --check` wants it (the doc is linted with the rest). */
async function formatted(markdown: string): Promise<string> {
  const options = (await resolveConfig(BENCHMARKS_DOC)) ?? {};
  return (await format(markdown, { ...options, parser: 'markdown' })).trim();
}

/** Replaces the text between a bench's markers; the doc's other text (and sections) stay as they are. */
function replaceBlock(text: string, name: string, content: string): string {
  const block = `${startMarker(name)}\n\n${content}\n\n${endMarker(name)}`;
  const start = text.indexOf(startMarker(name));
  const end = text.indexOf(endMarker(name));
  if (start < 0 || end < start) return `${text.trimEnd()}\n\n## ${name}\n\n${block}\n`;
  return `${text.slice(0, start)}${block}${text.slice(end + endMarker(name).length)}`;
}

/**
 * Writes the latest results (bench/results/*.json) into docs/BENCHMARKS.md, between each bench's
 * markers, and the goals summary. Re-reads the file right before writing: others edit it too.
 */
export async function writeBenchmarksDoc(): Promise<string[]> {
  const results = REPORTED_BENCHES.map(readResult).filter((r): r is BenchResult => r !== null);
  const blocks = await Promise.all(results.map((result) => formatted(block(result))));
  const summaryBlock = await formatted(summary(results));
  let text = existsSync(BENCHMARKS_DOC) ? readFileSync(BENCHMARKS_DOC, 'utf8') : '# Benchmarks\n';
  results.forEach((result, index) => (text = replaceBlock(text, result.name, blocks[index])));
  text = replaceBlock(text, 'summary', summaryBlock);
  writeFileSync(BENCHMARKS_DOC, text);
  return results.map((r) => r.name);
}

if (require.main === module) {
  void writeBenchmarksDoc().then((written) => {
    process.stdout.write(`docs/BENCHMARKS.md: ${written.join(', ') || 'no results yet'}\n`);
  });
}
