import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { libraryBuiltAt } from './lib/library-at-commit';
import { benchCommand, machineInfo, markdownTable, runBench, saveResult } from './lib/bench-report';
import { fmt, median, quantileSorted } from './lib/stats';

/**
 * Question (issue 22 #10): what does `require('@rcc/redis-config')` itself cost a node, now and at
 * `BENCH_BASE` (default: the commit before the 1.0 split of node and publisher code)? Both builds
 * are transpiled alike from git (`libraryBuiltAt`), so only the code differs. Each sample is a
 * fresh process that first loads what a Nest node loads anyway (`@nestjs/core`, `@nestjs/common`,
 * `rxjs`, `ioredis`), then times the library's entry point: wall time, and the process's own CPU
 * time (user + system), which a busy shared machine disturbs less. Pairs alternate (AB, BA, ...).
 */
const PAIRS = Number(process.env.BENCH_REQUIRE_PAIRS ?? 30);
const BASE = process.env.BENCH_BASE ?? '28090b5';

const PROBE = `
const { performance } = require('node:perf_hooks');
for (const name of ['@nestjs/core', '@nestjs/common', 'rxjs', 'ioredis']) require(name);
const files = Object.keys(require.cache).length;
const cpu = process.cpuUsage();
const started = performance.now();
require(process.argv[1]);
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({
  wallMs, cpuMs: (used.user + used.system) / 1000, files: Object.keys(require.cache).length - files,
}));`;

interface Sample {
  wallMs: number;
  cpuMs: number;
  files: number;
}

function sample(dir: string): Sample {
  const output = execFileSync(process.execPath, ['-e', PROBE, join(dir, 'index.js')], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
  });
  return JSON.parse(output) as Sample;
}

function stats(values: number[]): { median: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: median(values), p99: quantileSorted(sorted, 0.99) };
}

async function main(): Promise<void> {
  const began = Date.now();
  const machine = machineInfo();
  const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const builds = { base: libraryBuiltAt(BASE), head: libraryBuiltAt(head) };
  const samples: Record<'base' | 'head', Sample[]> = { base: [], head: [] };
  for (let pair = 0; pair < PAIRS; pair++) {
    const order: ('base' | 'head')[] = pair % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
    for (const which of order) samples[which].push(sample(builds[which]));
  }
  const rows: string[][] = [
    ['build', 'files loaded', 'wall ms, median', 'wall ms, p99', 'CPU ms, median', 'CPU ms, p99'],
  ];
  const figures: Record<string, unknown> = {};
  for (const which of ['base', 'head'] as const) {
    const wall = stats(samples[which].map((s) => s.wallMs));
    const cpu = stats(samples[which].map((s) => s.cpuMs));
    const files = samples[which][0].files;
    figures[which] = { commit: which === 'base' ? BASE : head, files, wall, cpu };
    rows.push([
      `${which === 'base' ? 'before' : 'now'} (${which === 'base' ? BASE : head})`,
      String(files),
      fmt(wall.median, 3),
      fmt(wall.p99, 3),
      fmt(cpu.median, 3),
      fmt(cpu.p99, 3),
    ]);
  }
  const headCpu = median(samples.head.map((s) => s.cpuMs));
  const ratio = headCpu / median(samples.base.map((s) => s.cpuMs));
  const markdown =
    `${markdownTable(rows)}\n\n` +
    `${PAIRS} pairs of fresh processes; now ÷ before (CPU, medians): ${fmt(ratio, 3)}.`;
  await saveResult({
    name: 'entry-require',
    command: benchCommand(__filename),
    machine,
    durationS: Math.round((Date.now() - began) / 1000),
    goals: [
      {
        goal: "the root entry point's own require ≤ 10 ms (CPU, median)",
        measured: `${fmt(headCpu, 3)} ms`,
        met: headCpu <= 10,
      },
    ],
    markdown,
    data: figures,
  });
}

runBench(main, 10 * 60_000);
