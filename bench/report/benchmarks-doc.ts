import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Replaces the text between a bench's markers; the doc's other text (and sections) stay as they are. */
function replaceBlock(text: string, name: string, content: string): string {
  const start = text.indexOf(startMarker(name));
  const end = text.indexOf(endMarker(name));
  if (start < 0 || end < start) {
    return `${text.trimEnd()}\n\n## ${name}\n\n${startMarker(name)}\n${content}\n${endMarker(name)}\n`;
  }
  return `${text.slice(0, start)}${startMarker(name)}\n${content}\n${text.slice(end)}`;
}

/**
 * Writes the latest results (bench/results/*.json) into docs/BENCHMARKS.md, between each bench's
 * markers, and the goals summary. Re-reads the file right before writing: others edit it too.
 */
export function writeBenchmarksDoc(): string[] {
  const results = REPORTED_BENCHES.map(readResult).filter((r): r is BenchResult => r !== null);
  let text = existsSync(BENCHMARKS_DOC) ? readFileSync(BENCHMARKS_DOC, 'utf8') : '# Benchmarks\n';
  for (const result of results) text = replaceBlock(text, result.name, block(result));
  text = replaceBlock(text, 'summary', summary(results));
  writeFileSync(BENCHMARKS_DOC, text);
  return results.map((r) => r.name);
}

if (require.main === module) {
  const written = writeBenchmarksDoc();
  process.stdout.write(`docs/BENCHMARKS.md: ${written.join(', ') || 'no results yet'}\n`);
}
