import type { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { startPublisher } from '../../test/helpers/config-node';
import { RedisServer, uniqueNamespace } from '../../test/helpers/redis-server';
import { atExit, machineInfo, runBench } from '../lib/bench-report';
import { checkFleet, describeCheck, FleetCheck } from './fleet-check';
import { GroupChurn } from './group-churn';
import type { WorkerState } from './soak-messages';
import { SoakFleet } from './soak-fleet';
import { parseSoakOptions, SoakOptions } from './soak-options';

/**
 * The soak (issue 7): N nodes in a few processes, groups added and deleted every few hundred ms,
 * Redis SIGKILLed and restarted on its AOF a few times; afterwards every node must hold an
 * existing group, spread ≤ 1, no error thrown into the apps, memory flat. Opt-in:
 * `npm run bench:soak -- --duration 120` (not part of `npm test` nor `npm run bench`).
 */
const POOL_PREFIX = 'soak-';
/** How long the fleet may take to converge after the churn stops, and after a restart. */
const SETTLE_BOUND_MS = 60_000;
const RESTART_SETTLE_BOUND_MS = 30_000;
const MiB = 2 ** 20;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);

interface MemorySample {
  at: string;
  rssMiB: number;
  heapMiB: number;
}

function memory(at: string, states: WorkerState[]): MemorySample {
  const sum = (pick: (s: WorkerState) => number) =>
    Math.round((states.reduce((total, s) => total + pick(s), 0) / MiB) * 10) / 10;
  return { at, rssMiB: sum((s) => s.rssBytes), heapMiB: sum((s) => s.heapUsedBytes) };
}

async function storedVersions(store: ConfigGroupStore): Promise<Map<string, number>> {
  const groups = await store.list();
  return new Map(
    groups.filter((g) => g.name.startsWith(POOL_PREFIX)).map((g) => [g.name, g.version]),
  );
}

/** Polls the fleet until the end condition holds; the time it took, or null after `boundMs`. */
async function settle(
  fleet: SoakFleet,
  store: ConfigGroupStore,
  boundMs: number,
): Promise<{ ms: number | null; check: FleetCheck }> {
  const started = Date.now();
  for (;;) {
    let check: FleetCheck | null = null;
    try {
      check = checkFleet(await fleet.nodes(), await storedVersions(store));
    } catch {
      // Redis not answering yet: look again.
    }
    if (check?.ok) return { ms: Date.now() - started, check };
    if (Date.now() - started > boundMs) {
      return { ms: null, check: check ?? checkFleet(await fleet.nodes(), new Map()) };
    }
    await pause(200);
  }
}

async function main(options: SoakOptions): Promise<void> {
  const machine = machineInfo();
  say(
    `soak: ${options.nodes} nodes in ${options.workers} processes, ${options.durationS} s, a ` +
      `change every ~${options.churnMs} ms, ${options.restarts} Redis restart(s) ` +
      `(SIGKILL, ${options.downtimeMs} ms down, AOF)`,
  );
  const redis = await RedisServer.start({ appendOnly: true, extraArgs: ['--maxclients', '10000'] });
  atExit(() => void redis.dispose());
  const namespace = uniqueNamespace('soak');
  const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
  const store = publisher.store;
  const churn = new GroupChurn(store, POOL_PREFIX, options.churnMs);
  await churn.seed(6);

  const perWorker = Math.ceil(options.nodes / options.workers);
  const setups = Array.from({ length: options.workers }, (_, w) => ({
    redisUrl: redis.url,
    namespace,
    first: w * perWorker,
    count: Math.max(0, Math.min(perWorker, options.nodes - w * perWorker)),
    pool: `${POOL_PREFIX}*`,
    leaseMs: options.leaseMs,
    refreshMs: options.refreshMs,
  })).filter((setup) => setup.count > 0);
  const { fleet, startMs } = await SoakFleet.start(setups, 300_000);
  say(`start-up: every node of each worker started in ${startMs.join(' / ')} ms`);
  const initial = await settle(fleet, store, SETTLE_BOUND_MS);
  say(`initial placement: ${describeCheck(initial.check)}, after ${initial.ms} ms`);
  const samples: MemorySample[] = [memory('start', await fleet.states())];

  const started = Date.now();
  const durationMs = options.durationS * 1000;
  const restartsAt = Array.from(
    { length: options.restarts },
    (_, k) => ((k + 1) * durationMs) / (options.restarts + 1),
  );
  const restarts: { downMs: number; reconvergedMs: number | null; check: string }[] = [];
  let middleTaken = false;
  churn.start();
  while (Date.now() - started < durationMs) {
    const elapsed = Date.now() - started;
    if (!middleTaken && elapsed >= durationMs / 2) {
      samples.push(memory('middle', await fleet.states()));
      middleTaken = true;
    }
    if (restartsAt.length && elapsed >= restartsAt[0]) {
      restartsAt.shift();
      await redis.kill(); // the churn goes on against a dead Redis: its writes are refused
      const downAt = Date.now();
      await pause(options.downtimeMs);
      await redis.restart();
      const downMs = Date.now() - downAt;
      // Measured with the churn paused, so that "converged" has a fixed target.
      await churn.stop();
      const after = await settle(fleet, store, RESTART_SETTLE_BOUND_MS);
      churn.start();
      restarts.push({ downMs, reconvergedMs: after.ms, check: describeCheck(after.check) });
      say(
        `restart ${restarts.length}: Redis down ${downMs} ms; the fleet converged ` +
          `${after.ms ?? 'NEVER'} ms after Redis answered (${describeCheck(after.check)})`,
      );
    }
    await pause(100);
  }
  await churn.stop();
  const final = await settle(fleet, store, SETTLE_BOUND_MS);
  samples.push(memory('end', await fleet.states()));
  const last = await fleet.stop();
  await publisher.app.close();
  await redis.dispose();

  const errors = {
    uncaughtExceptions: last.reduce((n, s) => n + s.uncaughtExceptions, 0),
    unhandledRejections: last.reduce((n, s) => n + s.unhandledRejections, 0),
    errorLogs: last.reduce((n, s) => n + s.errorLogs, 0),
    warnLogs: last.reduce((n, s) => n + s.warnLogs, 0),
    lastErrors: last.flatMap((s) => s.lastErrors).slice(-5),
  };
  const heapGrowth = samples[2].heapMiB / samples[0].heapMiB - 1;
  const verdict = {
    placed: final.check.ok,
    noErrorsThrown: errors.uncaughtExceptions + errors.unhandledRejections === 0,
    memoryFlat: heapGrowth < 0.25,
  };
  const { counts } = churn;
  say(
    `churn: ${counts.added} added, ${counts.deleted} deleted, ${counts.updated} updated, ` +
      `${counts.refused} refused (Redis down)`,
  );
  say(
    `end: ${describeCheck(final.check)}, settled ${final.ms ?? 'NEVER'} ms after the churn stopped`,
  );
  say(
    `errors thrown into the apps: ${errors.uncaughtExceptions} uncaught exceptions, ` +
      `${errors.unhandledRejections} unhandled rejections; logged: ${errors.errorLogs} errors, ` +
      `${errors.warnLogs} warnings`,
  );
  for (const line of errors.lastErrors) say(`  last error: ${line}`);
  say(
    `memory of the ${options.nodes} nodes (all workers, RSS / heap after GC): ` +
      samples.map((s) => `${s.at} ${s.rssMiB} / ${s.heapMiB} MiB`).join(', ') +
      ` (heap ${heapGrowth >= 0 ? '+' : ''}${Math.round(heapGrowth * 1000) / 10}%)`,
  );
  say(
    `verdict: ${Object.entries(verdict)
      .map(([k, v]) => `${k} ${v ? 'yes' : 'NO'}`)
      .join(', ')}`,
  );
  const result = {
    date: new Date().toISOString(),
    machine,
    options,
    startMs,
    initial: { ms: initial.ms, check: initial.check },
    churn: counts,
    restarts,
    final: { ms: final.ms, check: final.check },
    errors,
    memory: samples,
    verdict,
  };
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'last-run.json');
  const style = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(JSON.stringify(result), { ...style, parser: 'json' }));
  say(`-> bench/soak/results/last-run.json`);
  const failed = Object.entries(verdict).filter(([, passed]) => !passed);
  if (failed.length) throw new Error(`soak failed: ${failed.map(([name]) => name).join(', ')}`);
}

const options = parseSoakOptions(process.argv.slice(2));
runBench(() => main(options), (options.durationS + 900) * 1000);
