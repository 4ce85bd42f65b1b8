import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/bench-report';
import type { SizeResult } from './scale-result';

/**
 * The scale section's tables of docs/BENCHMARKS.md, printed from a results file of
 * scale.bench.ts (`bench/results/scale.json` unless given): one row per release and size.
 */
const file = process.argv[2] ?? join(REPO_ROOT, 'bench', 'results', 'scale.json');
const { results } = JSON.parse(readFileSync(file, 'utf8')) as { results: SizeResult[] };
const bytes = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} KB` : `${n} B`;
const ms = (n: number) => `${n.toFixed(2)}`;
const release = (row: SizeResult) => (row.protocol === 'v2' ? 'this (2)' : 'previous (1)');
const header = [
  'release',
  'nodes',
  'bytes out per publish',
  'publish: script / net / whole Redis CPU, ms',
  'nodes that heard it',
  'publish → applied p50 / p99',
  'leave: bytes (messages) to others',
  'join: bytes to others',
  'join: script / net Redis CPU, ms',
  'leave: net Redis CPU, ms',
  'heartbeats + checks: Redis CPU',
  'storm: all placed after',
  'spread',
  'storm: p99 EVALSHA',
  'lost leases: storm / measuring',
  'delete `hot`: reassigned, p99',
];
const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
for (const row of results) {
  lines.push(
    `| ${[
      release(row),
      row.nodes.toLocaleString('en-US'),
      bytes(row.publish.bytesOut),
      `${ms(row.publish.scriptMs)} / ${ms(row.publish.netCpuMs)} / ${ms(row.publish.cpuMs)}`,
      row.publish.heardBy.toLocaleString('en-US'),
      `${row.publish.appliedP50} / ${row.publish.appliedP99} ms`,
      `${bytes(row.leave.bytesToOthers)} (${row.leave.messagesToOthers})`,
      bytes(row.join.bytesToOthers),
      `${ms(row.join.scriptMs)} / ${ms(row.join.netCpuMs)}`,
      ms(row.leave.netCpuMs),
      `${row.idleCpuPercent.toFixed(1)} %`,
      `${(row.storm.placedMs / 1000).toFixed(1)} s${row.storm.unplaced ? ` (${row.storm.unplaced} unplaced)` : ''}`,
      `${row.storm.spread} / ${row.storm.settledSpread}`,
      `${((row.storm.p99Us.evalsha ?? 0) / 1000).toFixed(2)} ms`,
      `${row.lostPlaces} / ${row.lostPlacesWhileMeasuring ?? '–'}`,
      `${row.deleteHot.reassigned}, ${row.deleteHot.p99Ms} ms`,
    ].join(' | ')} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
