import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { uniqueNamespace } from '../test/helpers/redis-server';
import { launchBenchApp, stopBenchApp } from './lib/bench-app-process';
import { startBenchRedis } from './lib/bench-redis';
import { benchCommand, machineInfo, markdownTable, runBench, saveResult } from './lib/bench-report';
import { compileBenchApps } from './lib/compiled-bench-apps';
import { fmt, median, pairRatios } from './lib/stats';

/**
 * Question 5: the admin service's `GET /api/groups/:name` and `PUT /api/groups/:name`, throughput
 * and latency with autocannon (1 s warm-up), next to a bare Nest route answering a constant in the
 * same app (same middleware, auth guard, pipes and filter). The server is a separate process;
 * rounds alternate which of the pair runs first.
 */
const ROUNDS = Number(process.env.BENCH_ADMIN_ROUNDS ?? 5);
const DURATION_S = Number(process.env.BENCH_ADMIN_DURATION_S ?? 2);
const CONNECTIONS = 10;
/** A folder: the admin process writes a CPU profile there (`--cpu-prof`) when it stops. */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF_DIR;

function groupConfig(): Record<string, unknown> {
  const config: Record<string, unknown> = { apikey: 'AIzaSyBench-admin', timeout_ms: 3000 };
  for (let i = 0; i < 16; i++) config[`setting_${i}`] = `value-${i}-${'x'.repeat(40)}`;
  return config; // about 1 KB of JSON
}

interface Scenario {
  label: string;
  method: 'GET' | 'PUT';
  path: string;
  body?: string;
  requestsPerSecond: number[];
  latencyP50: number[];
  latencyP99: number[];
  failures: number;
}

async function main(): Promise<void> {
  const began = Date.now();
  const machine = machineInfo();
  const apps = compileBenchApps();
  const redis = await startBenchRedis();
  const token = randomBytes(16).toString('hex');
  const app = await launchBenchApp(
    apps.adminBench,
    {
      REDIS_URL: redis.url,
      RCC_NAMESPACE: uniqueNamespace('bench-admin'),
      BENCH_ADMIN_TOKEN: token,
    },
    CPU_PROF_DIR
      ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR, '--cpu-prof-name', 'admin.cpuprofile']
      : [],
    '/health',
  );
  try {
    const base = `http://127.0.0.1:${app.port}`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const putBody = JSON.stringify({ config: groupConfig() });
    const call = async (method: string, path: string, body?: string) => {
      const response = await fetch(`${base}${path}`, { method, headers, body });
      if (!response.ok)
        throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.text();
    };
    await call('PUT', '/api/groups/bench', putBody);
    // The bare route answers exactly the group's JSON: the same bytes on the wire.
    await call('PUT', '/api/bench-bare/answer', await call('GET', '/api/groups/bench'));

    const scenario = (
      label: string,
      method: 'GET' | 'PUT',
      path: string,
      body?: string,
    ): Scenario => ({
      label,
      method,
      path,
      body,
      requestsPerSecond: [],
      latencyP50: [],
      latencyP99: [],
      failures: 0,
    });
    // Each set: the route, its bare twin, then diagnostics; the order rotates every round.
    const sets: Scenario[][] = [
      [
        scenario('`GET /api/groups/:name`', 'GET', '/api/groups/bench'),
        scenario('bare `GET` (constant)', 'GET', '/api/bench-bare'),
        scenario('bare `GET` + the `:name` validation', 'GET', '/api/bench-bare/validated/bench'),
      ],
      [
        scenario('`PUT /api/groups/:name`', 'PUT', '/api/groups/bench', putBody),
        scenario('bare `PUT` (constant)', 'PUT', '/api/bench-bare', putBody),
      ],
    ];
    const load = (s: Scenario, durationS: number) =>
      autocannon({
        url: `${base}${s.path}`,
        method: s.method,
        headers,
        body: s.body,
        connections: CONNECTIONS,
        duration: durationS,
        warmup: { connections: CONNECTIONS, duration: 1 },
      });
    // One unmeasured pass, so that no route pays the process's own warm-up (JIT, pools).
    for (const s of sets.flat()) await load(s, 1);
    for (let round = 0; round < ROUNDS; round++) {
      for (const set of sets) {
        const order = set.map((_, k) => set[(round + k) % set.length]);
        for (const s of order) {
          const result = await load(s, DURATION_S);
          s.requestsPerSecond.push(result.requests.average);
          s.latencyP50.push(result.latency.p50);
          s.latencyP99.push(result.latency.p99);
          s.failures += result.errors + result.timeouts + result.non2xx;
          process.stdout.write(
            `  ${s.method} ${s.path}: ${fmt(result.requests.average)} req/s, ` +
              `p99 ${result.latency.p99} ms\n`,
          );
        }
      }
    }

    const rows: string[][] = [
      [
        'route',
        'req/s, median of rounds',
        'latency p50 (ms)',
        'latency p99 (ms)',
        'non-2xx / errors',
      ],
      ...sets
        .flat()
        .map((s) => [
          s.label,
          fmt(median(s.requestsPerSecond)),
          fmt(median(s.latencyP50)),
          fmt(median(s.latencyP99)),
          String(s.failures),
        ]),
    ];
    const ratio = (a: Scenario, b: Scenario) =>
      pairRatios(a.requestsPerSecond, b.requestsPerSecond);
    const readRatios = ratio(sets[0][0], sets[0][1]);
    const validationRatios = ratio(sets[0][2], sets[0][1]);
    const writeRatios = ratio(sets[1][0], sets[1][1]);
    const percents = (ratios: number[]) =>
      `median ${fmt(median(ratios) * 100)}% (rounds: ${ratios.map((r) => `${fmt(r * 100)}%`).join(', ')})`;
    const markdown = [
      `autocannon, ${CONNECTIONS} connections, 1 s warm-up + ${DURATION_S} s measured, ${ROUNDS} ` +
        'rounds (the order within each set rotates), after one unmeasured pass over every route. The admin runs as its own process ' +
        '(compiled JS, `logger: false`, write rate limit off) with the bare routes in the same app; ' +
        'autocannon, the admin and Redis share the 2 cores. The group and the constant are the same ' +
        '~1 KB JSON; `PUT` sends the same ~1 KB body to both.',
      '',
      markdownTable(rows),
      '',
      'Req/s as a share of the bare route, per round:',
      '',
      `- \`GET /api/groups/:name\`: ${percents(readRatios)}`,
      `- bare \`GET\` + the \`:name\` validation (diagnostic): ${percents(validationRatios)}`,
      `- \`PUT /api/groups/:name\`: ${percents(writeRatios)}`,
    ].join('\n');
    const failures = sets.flat().reduce((sum, s) => sum + s.failures, 0);
    await saveResult({
      name: 'admin',
      command: benchCommand(__filename),
      machine,
      durationS: Math.round((Date.now() - began) / 1000),
      goals: [
        {
          goal: "read ≥ 70% of the bare route's requests/s",
          measured: `${fmt(median(readRatios) * 100)}%${failures ? `, ${failures} failures` : ''}`,
          met: median(readRatios) >= 0.7 && failures === 0,
        },
      ],
      markdown,
      data: sets.flat().map(({ body: _body, ...rest }) => rest),
    });
  } finally {
    await stopBenchApp(app);
    await redis.dispose();
  }
}

runBench(main, 300_000);
