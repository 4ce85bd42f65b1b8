import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { libraryBuiltAt } from './lib/library-at-commit';
import { benchCommand, machineInfo, markdownTable, runBench, saveResult } from './lib/bench-report';
import { fmt, median, quantileSorted } from './lib/stats';

/**
 * Question (issue 22 #10): what does `require('@rcc/redis-config')` itself cost a node? Three
 * builds, each sample a fresh process that first loads what a Nest node loads anyway
 * (`@nestjs/core`, `@nestjs/common`, `rxjs`, `ioredis`), then times the library's entry point: wall
 * time, and the process's own CPU time (user + system), which a busy shared machine disturbs less.
 *
 * - before: `BENCH_BASE` (default: the commit before the 1.0 split of node and publisher code),
 *   one file per module, transpiled from git (`libraryBuiltAt`);
 * - per file: this checkout's code, transpiled the same way (what the split alone gives);
 * - shipped: `libs/redis-config/dist`, what `npm run build:lib` packs (each entry point bundled,
 *   `scripts/bundle-lib.mjs`); run `npm run build:lib` first.
 *
 * The builds take turns in every round, in a rotating order.
 */
const PAIRS = Number(process.env.BENCH_REQUIRE_PAIRS ?? 30);
const BASE = process.env.BENCH_BASE ?? '28090b5';
const SHIPPED = join(__dirname, '..', 'libs', 'redis-config', 'dist');

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
  if (!existsSync(join(SHIPPED, 'index.js'))) throw new Error('Run npm run build:lib first');
  const builds = [
    { label: `before (${BASE}), one file per module`, dir: libraryBuiltAt(BASE) },
    { label: `now (${head}), one file per module`, dir: libraryBuiltAt(head) },
    { label: `now (${head}), shipped: bundled entry points`, dir: SHIPPED },
  ];
  const samples: Sample[][] = builds.map(() => []);
  for (let round = 0; round < PAIRS; round++) {
    for (let turn = 0; turn < builds.length; turn++) {
      const which = (round + turn) % builds.length;
      samples[which].push(sample(builds[which].dir));
    }
  }
  const rows: string[][] = [
    ['build', 'files loaded', 'wall ms, median', 'wall ms, p99', 'CPU ms, median', 'CPU ms, p99'],
  ];
  const figures = builds.map((build, index) => {
    const wall = stats(samples[index].map((s) => s.wallMs));
    const cpu = stats(samples[index].map((s) => s.cpuMs));
    const files = samples[index][0].files;
    rows.push([
      build.label,
      String(files),
      fmt(wall.median, 3),
      fmt(wall.p99, 3),
      fmt(cpu.median, 3),
      fmt(cpu.p99, 3),
    ]);
    return { build: build.label, files, wall, cpu };
  });
  const [before, , shipped] = figures;
  const ratio = shipped.cpu.median / before.cpu.median;
  const markdown =
    `${markdownTable(rows)}\n\n` +
    `${PAIRS} rounds of fresh processes; shipped ÷ before (CPU, medians): ${fmt(ratio, 3)}.`;
  await saveResult({
    name: 'entry-require',
    command: benchCommand(__filename),
    machine,
    durationS: Math.round((Date.now() - began) / 1000),
    goals: [
      {
        goal: "the root entry point's own require ≤ 10 ms (CPU, median)",
        measured: `${fmt(shipped.cpu.median, 3)} ms`,
        met: shipped.cpu.median <= 10,
      },
    ],
    markdown,
    data: figures,
  });
}

runBench(main, 10 * 60_000);
