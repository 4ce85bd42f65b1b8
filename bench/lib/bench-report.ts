import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';

export const REPO_ROOT = join(__dirname, '..', '..');
export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

/** Where and when a figure was measured: quoted next to every table. */
export interface MachineInfo {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1-minute load average when the bench started: how busy the shared machine was. */
  loadAverage: number;
  /** The commit measured, and whether the library had uncommitted changes then. */
  commit: string;
  libraryDirty: boolean;
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    libraryDirty: git('status', '--porcelain', '--', 'libs/redis-config').length > 0,
  };
}

/** One bench's outcome: the figures as data, and the Markdown that docs/BENCHMARKS.md shows. */
export interface BenchResult {
  name: string;
  command: string;
  machine: MachineInfo;
  durationS: number;
  /** Each goal of the issue: met or not, with the measured value. */
  goals: { goal: string; measured: string; met: boolean }[];
  markdown: string;
  data: unknown;
}

/** The command that reproduces a bench, as the docs quote it. */
export function benchCommand(file: string): string {
  const script = relative(REPO_ROOT, file).replace(/\\/g, '/');
  return `node -r ts-node/register/transpile-only -r tsconfig-paths/register ${script}`;
}

/**
 * Writes `bench/results/<name>.json` (formatted as `prettier --check` wants it: long number arrays
 * fill lines) and prints the Markdown, so a run is readable as it goes.
 */
export async function saveResult(result: BenchResult): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${result.name}.json`);
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(JSON.stringify(result), { ...options, parser: 'json' }));
  process.stdout.write(`\n${result.markdown}\n`);
  for (const goal of result.goals) {
    process.stdout.write(`${goal.met ? 'MET ' : 'MISS'}  ${goal.goal}: ${goal.measured}\n`);
  }
  process.stdout.write(`-> ${relative(REPO_ROOT, file)}\n`);
}

/** A Markdown table (the first row is the header). */
export function markdownTable(rows: readonly (readonly string[])[]): string {
  const [header, ...body] = rows;
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}

const exitHooks: (() => void)[] = [];

/** Synchronous last-resort cleanup (kill child processes) if a bench dies or hits its bound. */
export function atExit(hook: () => void): void {
  exitHooks.push(hook);
}

function exitNow(code: number): never {
  for (const hook of exitHooks.splice(0)) {
    try {
      hook();
    } catch {
      // best effort: the next hook still runs
    }
  }
  process.exit(code);
}

/** Runs a bench's main, exiting non-zero on failure, and after a hard time bound in any case. */
export function runBench(main: () => Promise<void>, limitMs: number): void {
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench exceeded its ${limitMs / 1000} s bound: stopping\n`);
    exitNow(2);
  }, limitMs);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => exitNow(130));
  const fail = (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${text}\n`);
    exitNow(1);
  };
  // Whatever breaks, the redis-servers and child processes of the bench go with it.
  process.once('uncaughtException', fail);
  process.once('unhandledRejection', fail);
  main().then(() => exitNow(0), fail);
}
