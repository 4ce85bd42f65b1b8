/**
 * Assignment benchmark (issue 3): 1,000 nodes, 37 groups, over the real Lua scripts on a real
 * redis-server, next to the old project's rule on the same addresses.
 *
 *   npm run bench:assignment [-- --runs 20] [-- --no-write], that is:
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *     bench/assignment/assignment.bench.ts [--runs 20] [--no-write]
 *
 * Prints the figures, writes them to docs/BENCHMARKS.md (§ Assignment) and the chart to
 * docs/images/assignment-nodes-per-group.svg.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { RedisServer } from '../../test/helpers/redis-server';
import { writeBenchmarkSection } from './benchmarks-doc';
import { clusterRun, RunFigures } from './cluster-run';
import { oldRule, perHostPodAddresses, uniformPodAddresses } from './old-rule';
import { seededRandom } from './random';
import { countPerGroup, percentile, spread } from './stats';
import { groupedBarChart } from './svg-bar-chart';

const NODES = 1000;
const GROUPS = Array.from({ length: 37 }, (_, i) => `apikey-${String(i + 1).padStart(2, '0')}`);
const ADDED = 'apikey-38';
const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 20;
const WRITE = !argv.includes('--no-write');
const COMMAND =
  'node -r ts-node/register/transpile-only -r tsconfig-paths/register' +
  ` bench/assignment/assignment.bench.ts --runs ${RUNS}`;

interface OldRuleFigures {
  counts: number[];
  spread: number;
  movedOnDelete: number;
  movedOnAdd: number;
}

/** The old rule on the same addresses; it deletes the group of index 17 (any would do). */
function oldRuleFigures(addresses: string[]): OldRuleFigures {
  const deleted = GROUPS[17];
  const before = addresses.map((address) => oldRule(address, GROUPS));
  const afterDelete = addresses.map((a) =>
    oldRule(
      a,
      GROUPS.filter((g) => g !== deleted),
    ),
  );
  const afterAdd = addresses.map((address) => oldRule(address, [...GROUPS, ADDED]));
  const moved = (after: string[]) => after.filter((group, i) => group !== before[i]).length;
  const counts = countPerGroup(before, GROUPS);
  return {
    counts,
    spread: spread(counts),
    movedOnDelete: moved(afterDelete) / NODES,
    movedOnAdd: moved(afterAdd) / NODES,
  };
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const us = (millis: number) => `${Math.round(millis * 1000)} µs`;
const p50p99 = (values: number[]) =>
  `${ms(percentile(values, 50))} / ${ms(percentile(values, 99))}`;
const worst = (runs: RunFigures[], pick: (run: RunFigures) => number) =>
  Math.max(...runs.map(pick));

function table(runs: RunFigures[], uniform: OldRuleFigures, perHost: OldRuleFigures): string {
  const perNode = runs.flatMap((run) => run.deleteNodeMs);
  const minimalRuns = runs.filter((run) => run.movedOnAdd === run.minimalOnAdd).length;
  const rows: string[][] = [
    [
      'max − min nodes per group, 1,000 nodes / 37 groups',
      `${worst(runs, (r) => r.spread)}`,
      `${uniform.spread}`,
      `${perHost.spread}`,
    ],
    ['max − min after one group is deleted', `${worst(runs, (r) => r.spreadAfterDelete)}`, '', ''],
    ['max − min after one group is added', `${worst(runs, (r) => r.spreadAfterAdd)}`, '', ''],
    [
      'nodes moved when one group is deleted',
      `${pct(worst(runs, (r) => r.movedOnDelete))} (its own nodes only)`,
      pct(uniform.movedOnDelete),
      pct(perHost.movedOnDelete),
    ],
    [
      'nodes moved when one group is added',
      `${pct(worst(runs, (r) => r.movedOnAdd))}; = the minimum in ${minimalRuns}/${runs.length} runs`,
      pct(uniform.movedOnAdd),
      pct(perHost.movedOnAdd),
    ],
    [
      `delete → all its nodes reassigned, p50 / p99 of ${runs.length} runs`,
      p50p99(runs.map((r) => r.deleteAllMs)),
      'next restart',
      'next restart',
    ],
    [`delete → one node reassigned, p50 / p99 of ${perNode.length} nodes`, p50p99(perNode), '', ''],
    [
      'add → rebalanced, settle delay included, p50 / p99',
      p50p99(runs.map((r) => r.addSettledMs)),
      '',
      '',
    ],
    [
      'Redis time per assign script call (median of runs)',
      us(
        percentile(
          runs.map((r) => r.assignMs),
          50,
        ),
      ),
      '',
      '',
    ],
    [
      'Redis time per heartbeat script call (median of runs)',
      us(
        percentile(
          runs.map((r) => r.heartbeatMs),
          50,
        ),
      ),
      '',
      '',
    ],
  ];
  const header = ['', 'ours (Lua, leases)', 'old rule, uniform /16', 'old rule, per-host /24'];
  return [header, header.map(() => '---'), ...rows]
    .map((row) => `| ${row.join(' | ')} |`)
    .join('\n');
}

async function main(): Promise<void> {
  const random = seededRandom(42);
  const uniform = uniformPodAddresses(NODES, random);
  const perHost = perHostPodAddresses(NODES, 40, random);
  const redis = await RedisServer.start();
  const runs: RunFigures[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      // Half the runs on each address set: our placement does not look at addresses at all.
      const figures = await clusterRun(redis, GROUPS, ADDED, run % 2 ? perHost : uniform, run);
      runs.push(figures);
      process.stdout.write(
        `run ${run + 1}/${RUNS}: spread ${figures.spread}, delete -> all reassigned in ` +
          `${ms(figures.deleteAllMs)}, add -> rebalanced in ${ms(figures.addSettledMs)}\n`,
      );
    }
  } finally {
    await redis.dispose();
  }
  const oldUniform = oldRuleFigures(uniform);
  const oldPerHost = oldRuleFigures(perHost);
  const text = table(runs, oldUniform, oldPerHost);
  process.stdout.write(`\n${text}\n`);
  if (!WRITE) return;

  const root = join(__dirname, '..', '..');
  mkdirSync(join(root, 'docs', 'images'), { recursive: true });
  const chart = groupedBarChart({
    title: 'Nodes per group: 1,000 nodes over 37 groups',
    categories: GROUPS,
    yLabel: 'nodes',
    series: [
      { label: 'ours (any addresses)', color: '#2b7a3d', values: runs[0].counts },
      { label: 'old rule, uniform /16 addresses', color: '#c0392b', values: oldUniform.counts },
      { label: 'old rule, per-host /24 addresses', color: '#e59866', values: oldPerHost.counts },
    ],
  });
  writeFileSync(join(root, 'docs', 'images', 'assignment-nodes-per-group.svg'), chart);
  writeBenchmarkSection(join(root, 'docs', 'BENCHMARKS.md'), {
    command: COMMAND,
    cores: cpus().length,
    date: new Date().toISOString().slice(0, 10),
    table: text,
    runs: RUNS,
  });
  process.stdout.write(
    '\nwritten: docs/BENCHMARKS.md (§ Assignment), docs/images/assignment-nodes-per-group.svg\n',
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
