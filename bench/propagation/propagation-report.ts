import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTable, REPO_ROOT } from '../lib/bench-report';
import { fmt, median, Summary } from '../lib/stats';
import { cdfPoints, lineChartSvg } from '../lib/svg-chart';

/** What the propagation bench measured for one cluster size. */
export interface SizeResult {
  nodes: number;
  push: { perNode: Summary; allApplied: number[]; missing: number };
  poll: { perNode: Summary; allApplied: number[]; missing: number };
  pushLatenciesMs: number[];
  pollLatenciesMs: number[];
  workerRssMiB: number;
  /** Per push round: Redis CPU time (ms) and commands per node (scripts' inner calls included). */
  redisCpuMsPerPushRound: number[];
  callsPerNodePerPush: Record<string, number>;
}

export const PROPAGATION_CHART = join(REPO_ROOT, 'docs', 'images', 'bench-propagation.svg');

export function propagationGoals(results: SizeResult[]) {
  const goal = (nodes: number, boundMs: number) => {
    const result = results.find((r) => r.nodes === nodes);
    return {
      goal: `push p99 ≤ ${boundMs} ms at ${nodes} nodes`,
      measured: result ? `${fmt(result.push.perNode.p99)} ms` : 'not measured',
      met: !!result && result.push.perNode.p99 <= boundMs && result.push.missing === 0,
    };
  };
  return [goal(100, 50), goal(500, 150)];
}

/** The tables docs/BENCHMARKS.md shows; `method` says how the figures were taken. */
export function propagationMarkdown(results: SizeResult[], method: string): string {
  const rows: string[][] = [
    [
      'nodes',
      'mode',
      'rounds',
      'per node p50 (ms)',
      'p99 (ms)',
      'max (ms)',
      'every node applied, median of rounds (ms)',
      'missed',
    ],
  ];
  for (const r of results) {
    for (const [mode, m] of [
      ['push', r.push],
      ['poll 5 s', r.poll],
    ] as const) {
      rows.push([
        String(r.nodes),
        mode,
        String(m.allApplied.length),
        fmt(m.perNode.p50),
        fmt(m.perNode.p99),
        fmt(m.perNode.max),
        fmt(median(m.allApplied)),
        String(m.missing),
      ]);
    }
  }
  const ratioRows: string[][] = [
    [
      'nodes',
      'poll p50 / push p50',
      'poll p99 / push p99',
      'Redis CPU per publish, median (ms)',
      'Redis commands per node per publish (incl. inside scripts)',
    ],
    ...results.map((r) => [
      String(r.nodes),
      `${fmt(r.poll.perNode.p50 / r.push.perNode.p50)}×`,
      `${fmt(r.poll.perNode.p99 / r.push.perNode.p99)}×`,
      fmt(median(r.redisCpuMsPerPushRound)),
      Object.entries(r.callsPerNodePerPush)
        .filter(([, calls]) => calls >= 0.05)
        .map(([name, calls]) => `${name} ${fmt(calls, 2)}`)
        .join(', '),
    ]),
  ];
  return [
    method,
    '',
    markdownTable(rows),
    '',
    markdownTable(ratioRows),
    '',
    '![Latency distribution, push vs poll](images/bench-propagation.svg)',
  ].join('\n');
}

/** Latency distribution (CDF, log time axis), push vs poll, one colour per cluster size. */
export function writePropagationChart(results: SizeResult[]): void {
  const colors = ['#1b7837', '#2166ac', '#b2182b'];
  const svg = lineChartSvg({
    title: 'Publish → applied on a node: push vs 5 s poll',
    xLabel: 'latency (ms, log scale)',
    yLabel: 'fraction of nodes',
    logX: true,
    xTicks: [0.1, 1, 10, 100, 1000, 10000],
    yTicks: [0, 0.25, 0.5, 0.75, 1],
    series: results.flatMap((r, index) => [
      {
        label: `${r.nodes} nodes, push`,
        color: colors[index % colors.length],
        points: cdfPoints(r.pushLatenciesMs),
      },
      {
        label: `${r.nodes} nodes, poll`,
        color: colors[index % colors.length],
        dashed: true,
        points: cdfPoints(r.pollLatenciesMs),
      },
    ]),
  });
  writeFileSync(PROPAGATION_CHART, svg);
}

/** The raw latencies, rounded to 0.01 ms, for bench/results. */
export function propagationData(results: SizeResult[]) {
  const round = (values: number[]) => values.map((v) => Math.round(v * 100) / 100);
  return results.map(({ pushLatenciesMs, pollLatenciesMs, ...rest }) => ({
    ...rest,
    pushLatenciesMs: round(pushLatenciesMs),
    pollLatenciesMs: round(pollLatenciesMs),
  }));
}
