import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { RequireCost } from './apps/require-cost.probe';
import { uniqueNamespace } from '../test/helpers/redis-server';
import { startBenchRedis } from './lib/bench-redis';
import { launchBenchApp, LaunchedApp, stopBenchApp } from './lib/bench-app-process';
import { benchCommand, machineInfo, markdownTable, runBench, saveResult } from './lib/bench-report';
import { compileBenchApps } from './lib/compiled-bench-apps';
import { fmt, median, summarize } from './lib/stats';

/**
 * Question 4: process start → first value served over HTTP, for a Nest app with this library
 * (Redis already up, the group present) and the same app with `@nestjs/config` only. Compiled
 * JavaScript, one fresh process per run, in pairs whose order alternates (AB, BA, ...).
 */
const PAIRS = Number(process.env.BENCH_STARTUP_PAIRS ?? 40);
/** A folder: one extra run of each app with `--cpu-prof`, written there (not in the figures). */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF_DIR;
const APIKEY = 'AIzaSyBench-startup';

type Kind = 'rcc' | 'nest';

/** Runs the require-cost probe in a fresh process (compiled JS, no ts-node). */
function probeRequireCost(file: string): Promise<RequireCost[]> {
  return new Promise((resolve, reject) => {
    const child = fork(file, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message: { result: RequireCost[] }) => resolve(message.result));
    child.once('exit', (code) => reject(new Error(`require-cost probe exited (code ${code})`)));
  });
}

async function main(): Promise<void> {
  const began = Date.now();
  const machine = machineInfo();
  const apps = compileBenchApps();
  const redis = await startBenchRedis();
  const namespace = uniqueNamespace('bench-startup');
  try {
    const seed = redis.client();
    const config = { apikey: APIKEY, timeout_ms: 3000, region: 'sg' };
    await seed.hset(
      namespace,
      'bench',
      JSON.stringify({ group_name: 'bench', group_version: 0, config_dict: config }),
    );
    seed.disconnect();
    let run = 0;
    const launch = async (kind: Kind, execArgv: string[] = []): Promise<LaunchedApp> => {
      run += 1;
      const app = await launchBenchApp(
        kind === 'rcc' ? apps.rccNode : apps.nestConfig,
        kind === 'rcc'
          ? {
              REDIS_URL: redis.url,
              RCC_NAMESPACE: namespace,
              DEFAULT_CONFIG_GROUP: 'bench',
              RCC_NODE_ID: `startup-${run}`,
            }
          : { BENCH_APIKEY: APIKEY },
        execArgv,
      );
      await stopBenchApp(app);
      if (!app.body.includes(APIKEY)) throw new Error(`${kind} app served ${app.body}`);
      return app;
    };
    // Warm-up (file cache, Redis script cache), not counted.
    await launch('rcc');
    await launch('nest');
    const runs: Record<Kind, LaunchedApp[]> = { rcc: [], nest: [] };
    const differences: number[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      const order: Kind[] = pair % 2 === 0 ? ['rcc', 'nest'] : ['nest', 'rcc'];
      const result: Partial<Record<Kind, LaunchedApp>> = {};
      for (const kind of order) result[kind] = await launch(kind);
      runs.rcc.push(result.rcc!);
      runs.nest.push(result.nest!);
      differences.push(result.rcc!.firstValueMs - result.nest!.firstValueMs);
    }
    const probes: RequireCost[][] = [];
    for (let i = 0; i < 5; i++) probes.push(await probeRequireCost(apps.requireCostProbe));
    const requireRows: string[][] = [
      [
        'package (in load order)',
        'require, median of 5 fresh processes (ms)',
        'files',
        'loaded by',
      ],
      ...probes[0].map((first, index) => [
        `\`${first.module}\``,
        fmt(median(probes.map((p) => p[index].ms))),
        String(first.files),
        first.loadedBy,
      ]),
    ];
    if (CPU_PROF_DIR) {
      mkdirSync(CPU_PROF_DIR, { recursive: true });
      for (const kind of ['rcc', 'nest'] as const) {
        await launch(kind, [
          '--cpu-prof',
          '--cpu-prof-dir',
          CPU_PROF_DIR,
          '--cpu-prof-name',
          `startup-${kind}.cpuprofile`,
        ]);
      }
    }

    const phases = (list: LaunchedApp[]) => ({
      firstValue: summarize(list.map((a) => a.firstValueMs)),
      loaded: median(list.map((a) => a.loadedMs)),
      init: median(list.map((a) => a.listeningMs - a.loadedMs)),
    });
    const rcc = phases(runs.rcc);
    const nest = phases(runs.nest);
    const added = summarize(differences);
    const rows: string[][] = [
      [
        'app',
        'start → first value, median (ms)',
        'p90 (ms)',
        'max (ms)',
        'modules loaded at (ms, median)',
        'Nest init + listen (ms, median)',
      ],
      ...(
        [
          ['with this library', rcc],
          ['`@nestjs/config` only', nest],
        ] as const
      ).map(([label, p]) => [
        label,
        fmt(p.firstValue.p50),
        fmt(p.firstValue.p90),
        fmt(p.firstValue.max),
        fmt(p.loaded),
        fmt(p.init),
      ]),
    ];
    const markdown = [
      `${PAIRS} pairs of fresh processes (\`node dist/bench-apps/bench/apps/<app>.js\`, compiled by ` +
        'tsc), order alternating; Redis up and the group stored before each start. "First value" = ' +
        "the parent spawns the process → the app says it listens → the parent's `GET /value` is " +
        "answered. The phases are read on the app's own clock (from its process start).",
      '',
      markdownTable(rows),
      '',
      `Added by this library, per pair (ours − baseline): median ${fmt(added.p50)} ms, ` +
        `p90 ${fmt(added.p90)} ms, min ${fmt(added.min)} ms, max ${fmt(added.max)} ms. ` +
        `Of which module loading: ${fmt(rcc.loaded - nest.loaded)} ms; Nest init ` +
        `(Redis connection, group loaded before bootstrap ends) + listen: ${fmt(rcc.init - nest.init)} ms.`,
      '',
      'What the module loading is made of (each package timed after the ones above it):',
      '',
      markdownTable(requireRows),
    ].join('\n');
    await saveResult({
      name: 'startup',
      command: benchCommand(__filename),
      machine,
      durationS: Math.round((Date.now() - began) / 1000),
      goals: [
        {
          goal: '≤ 50 ms added by the module (Redis up)',
          measured: `${fmt(added.p50)} ms (median of pairs)`,
          met: added.p50 <= 50,
        },
      ],
      markdown,
      data: {
        pairs: PAIRS,
        requireCost: probes,
        differencesMs: differences,
        rcc: runs.rcc.map(({ firstValueMs, loadedMs, listeningMs }) => ({
          firstValueMs,
          loadedMs,
          listeningMs,
        })),
        nest: runs.nest.map(({ firstValueMs, loadedMs, listeningMs }) => ({
          firstValueMs,
          loadedMs,
          listeningMs,
        })),
      },
    });
  } finally {
    await redis.dispose();
  }
}

runBench(main, 300_000);
