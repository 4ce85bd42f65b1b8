import type { Redis } from 'ioredis';
import { join } from 'node:path';
import { uniqueNamespace } from '../test/helpers/redis-server';
import { startPublisher } from '../test/helpers/config-node';
import {
  commandStatsDelta,
  parseCommandStats,
  parseInfo,
  startBenchRedis,
} from './lib/bench-redis';
import { benchCommand, machineInfo, runBench, saveResult } from './lib/bench-report';
import { summarize } from './lib/stats';
import { NodeWorkers } from './propagation/node-workers';
import {
  propagationData,
  propagationGoals,
  propagationMarkdown,
  SizeResult,
  writePropagationChart,
} from './propagation/propagation-report';

/**
 * Question 2: publish → applied on every node, for 10, 100 and 500 nodes, each a Nest application
 * context with its own Redis connections, spread over worker processes. The same nodes are
 * measured with push (the product) and with push disabled (their subscriber leaves the events
 * channel, so only the 5 s refresh can bring a change: the old project's setting), in
 * interleaved rounds: PUSH_PER_CYCLE push rounds, then one poll round, CYCLES times per size.
 */
const SIZES = (process.env.BENCH_PROPAGATION_SIZES ?? '10,100,500').split(',').map(Number);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
/** A folder: each worker writes a CPU profile of the rounds of each size there. */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF_DIR;
const CYCLES = Number(process.env.BENCH_PROPAGATION_CYCLES ?? 3);
const PUSH_PER_CYCLE = 5;
const REFRESH_MS = 5000;
const GROUP = 'bench';

function groupConfig(round: number): Record<string, unknown> {
  const config: Record<string, unknown> = { apikey: `AIzaSyBench-${round}`, round };
  for (let i = 0; i < 24; i++) config[`setting_${i}`] = `value-${i}-${'x'.repeat(20)}`;
  return config; // about 1 KB of JSON
}

/** Redis's own CPU time (user + sys, ms) and command counts, to see what a round cost Redis. */
async function redisUsage(client: Redis) {
  const [cpu, commands] = await Promise.all([client.info('cpu'), client.info('commandstats')]);
  const fields = parseInfo(cpu);
  const cpuMs = ((fields.get('used_cpu_user') ?? 0) + (fields.get('used_cpu_sys') ?? 0)) * 1000;
  return { cpuMs, commands: parseCommandStats(commands) };
}

async function main(): Promise<void> {
  const began = Date.now();
  const machine = machineInfo();
  const redis = await startBenchRedis();
  const namespace = uniqueNamespace('bench-propagation');
  const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
  const workers = new NodeWorkers(WORKERS);
  const probe = redis.client();
  const results: SizeResult[] = [];
  let round = 0;
  try {
    await publisher.store.publish(GROUP, groupConfig(round));
    let started = 0;
    for (const size of SIZES) {
      // Grow the same cluster: the nodes of the smaller size stay.
      const startedAt = Date.now();
      const batches: string[][] = Array.from({ length: workers.size }, () => []);
      for (let n = started; n < size; n++) batches[n % workers.size].push(`bench-node-${n}`);
      const replies = await Promise.all(
        batches.map((nodeIds, worker) =>
          workers.request(worker, {
            type: 'start',
            nodeIds,
            redisUrl: redis.url,
            namespace,
            group: GROUP,
            refreshMs: REFRESH_MS,
          }),
        ),
      );
      started = size;
      const workerRssMiB = Math.max(...replies.map((r) => r.rssBytes ?? 0)) / 2 ** 20;
      process.stdout.write(
        `${size} nodes up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s ` +
          `(largest worker RSS ${workerRssMiB.toFixed(0)} MiB)\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));

      const push = { latencies: [] as number[], allApplied: [] as number[], missing: 0 };
      const redisCpuMsPerPushRound: number[] = [];
      const pushCalls = new Map<string, number>();
      const poll = { latencies: [] as number[], allApplied: [] as number[], missing: 0 };
      if (CPU_PROF_DIR) {
        await Promise.all(
          batches.map((_, worker) =>
            workers.request(worker, { type: 'profile', action: 'start', file: '' }),
          ),
        );
      }
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        for (let k = 0; k <= PUSH_PER_CYCLE; k++) {
          const isPush = k < PUSH_PER_CYCLE;
          if (k === 0 || !isPush) await workers.all({ type: 'mode', push: isPush });
          const target = isPush ? push : poll;
          round += 1;
          const usageBefore = await redisUsage(probe);
          const t0 = process.hrtime.bigint();
          const { version } = await publisher.store.publish(GROUP, groupConfig(round));
          const collected = await workers.all({
            type: 'collect',
            version,
            timeoutMs: isPush ? 10_000 : REFRESH_MS + 10_000,
          });
          const latencies = collected.flatMap((reply) =>
            (reply.appliedAtNs ?? []).map((at) => Number(BigInt(at) - t0) / 1e6),
          );
          if (isPush) {
            const usageAfter = await redisUsage(probe);
            redisCpuMsPerPushRound.push(usageAfter.cpuMs - usageBefore.cpuMs);
            for (const [name, stat] of commandStatsDelta(
              usageBefore.commands,
              usageAfter.commands,
            )) {
              pushCalls.set(name, (pushCalls.get(name) ?? 0) + stat.calls);
            }
          }
          target.missing += collected.reduce((sum, reply) => sum + (reply.missing ?? 0), 0);
          target.latencies.push(...latencies);
          target.allApplied.push(Math.max(...latencies));
          process.stdout.write(
            `  ${size} nodes, ${isPush ? 'push' : 'poll'} round: all applied in ` +
              `${Math.max(...latencies).toFixed(1)} ms\n`,
          );
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
      }
      await workers.all({ type: 'mode', push: true });
      if (CPU_PROF_DIR) {
        await Promise.all(
          batches.map((_, worker) =>
            workers.request(worker, {
              type: 'profile',
              action: 'stop',
              file: join(CPU_PROF_DIR, `propagation-${size}-worker-${worker}.cpuprofile`),
            }),
          ),
        );
      }
      results.push({
        nodes: size,
        push: {
          perNode: summarize(push.latencies),
          allApplied: push.allApplied,
          missing: push.missing,
        },
        poll: {
          perNode: summarize(poll.latencies),
          allApplied: poll.allApplied,
          missing: poll.missing,
        },
        pushLatenciesMs: push.latencies,
        pollLatenciesMs: poll.latencies,
        workerRssMiB,
        redisCpuMsPerPushRound,
        callsPerNodePerPush: Object.fromEntries(
          [...pushCalls]
            .sort((a, b) => b[1] - a[1])
            .map(([name, calls]) => [name, calls / push.allApplied.length / size]),
        ),
      });
    }
  } finally {
    probe.disconnect();
    await workers.stop();
    await publisher.app.close();
    await redis.dispose();
  }

  writePropagationChart(results);
  const method =
    'Nodes: real Nest application contexts (`startNode`), each with its own two Redis ' +
    `connections, spread over ${WORKERS} worker processes sharing the machine's ` +
    `${machine.cpus} cores with Redis and the publisher. Per size: ${CYCLES} cycles of ` +
    `${PUSH_PER_CYCLE} push rounds and 1 poll round on the same nodes. Latency = publish call → ` +
    '`changes$` event on the node (`process.hrtime`, one clock for every process).';
  await saveResult({
    name: 'propagation',
    command: benchCommand(__filename),
    machine,
    durationS: Math.round((Date.now() - began) / 1000),
    goals: propagationGoals(results),
    markdown: propagationMarkdown(results, method),
    data: propagationData(results),
  });
}

runBench(main, 15 * 60_000);
