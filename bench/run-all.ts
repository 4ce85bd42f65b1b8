import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './lib/bench-report';
import { TS_NODE_FLAGS } from './lib/ts-child';
import { readResult, writeBenchmarksDoc } from './report/benchmarks-doc';

/**
 * `npm run bench`: every bench, one after the other (each a process of its own, bounded in time),
 * then the assignment helper's bench when it exists, then docs/BENCHMARKS.md from the results.
 * `npm run bench -- read-path admin` runs only those. A missed goal is reported, not a failure;
 * a bench that crashes is.
 */
const BENCHES = [
  'read-path',
  'idle-cost',
  'startup',
  'memory',
  'admin',
  'propagation',
  'openfeature',
];
const BOUND_MS = 20 * 60_000;

function assignmentBenches(): string[] {
  const dir = join(REPO_ROOT, 'bench', 'assignment');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.bench.ts'))
    .map((file) => join(dir, file));
}

function run(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...TS_NODE_FLAGS, file], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), BOUND_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = only.length ? BENCHES.filter((name) => only.includes(name)) : BENCHES;
  const files = [
    ...selected.map((name) => join(REPO_ROOT, 'bench', `${name}.bench.ts`)),
    ...(only.length === 0 || only.includes('assignment') ? assignmentBenches() : []),
  ];
  const failed: string[] = [];
  for (const file of files) {
    const name = relative(REPO_ROOT, file);
    const started = Date.now();
    process.stdout.write(`\n=== ${name}\n`);
    const code = await run(file);
    process.stdout.write(
      `=== ${name}: exit ${code}, ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
    if (code !== 0) failed.push(name);
  }
  await writeBenchmarksDoc();
  process.stdout.write('\nGoals:\n');
  for (const name of selected) {
    for (const goal of readResult(name)?.goals ?? []) {
      process.stdout.write(
        `  ${goal.met ? 'met   ' : 'MISSED'} ${name}: ${goal.goal} (${goal.measured})\n`,
      );
    }
  }
  if (failed.length) {
    process.stderr.write(`\nFailed: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

void main();
