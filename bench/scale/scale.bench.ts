import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Redis from 'ioredis';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { startPublisher } from '../../test/helpers/config-node';
import { uniqueNamespace } from '../../test/helpers/redis-server';
import { parseInfo, startBenchRedis } from '../lib/bench-redis';
import { machineInfo, REPO_ROOT } from '../lib/bench-report';
import { exited, forkTs } from '../lib/ts-child';
import type { ScaleReply, ScaleRequest } from './scale-worker';
import type { SizeResult } from './scale-result';

/**
 * Issue 12's figures with light simulated nodes (see light-node.ts for what is real), for each
 * size of BENCH_SCALE_SIZES over 1,000 pool groups plus one group `hot` held by 10 pinned nodes,
 * each of about BENCH_SCALE_GROUP_BYTES of JSON (1 KB by default).
 */
const SIZES = (process.env.BENCH_SCALE_SIZES ?? '100,1000,10000').split(',').map(Number);
const NODES_PER_WORKER = Number(process.env.BENCH_SCALE_NODES_PER_WORKER ?? 2500);
const GROUPS = 1000;
const GROUP_BYTES = Number(process.env.BENCH_SCALE_GROUP_BYTES ?? 1000);
const HOT_HOLDERS = 10;
const LEASE_MS = Number(process.env.BENCH_SCALE_LEASE_MS ?? 10_000);
const REFRESH_MS = Number(process.env.BENCH_SCALE_REFRESH_MS ?? 5000);
const STORM_MS = Number(process.env.BENCH_SCALE_STORM_MS ?? 10_000);
const STORM_BOUND_MS = 180_000;
const PUBLISHES = 20;
const MEMBERSHIP_CHANGES = 5;

type Drained = {
  applied: number[];
  heard: [string, { messages: number; bytes: number }][];
  reassignedAt: number[];
  errors: number;
  connectErrors: number;
  lostPlaces: number;
};

class Workers {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: ScaleReply) => void>();
  readonly children: ChildProcess[];

  constructor(count: number) {
    this.children = Array.from({ length: count }, () => {
      const child = forkTs(join(__dirname, 'scale-worker.ts'), {
        execArgv: ['--max-old-space-size=4096'],
      });
      child.on('message', (reply: ScaleReply) => {
        this.pending.get(reply.id)?.(reply);
        this.pending.delete(reply.id);
      });
      return child;
    });
  }

  request(worker: number, request: ScaleRequest): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) =>
        reply.ok ? resolve(reply.value) : reject(new Error(reply.error)),
      );
      this.children[worker].send({ ...request, id });
    });
  }

  all(request: ScaleRequest): Promise<unknown[]> {
    return Promise.all(this.children.map((_, i) => this.request(i, request)));
  }

  async drain(): Promise<Drained> {
    const parts = (await this.all({ type: 'drain' })) as Drained[];
    return {
      applied: parts.flatMap((p) => p.applied),
      heard: parts.flatMap((p) => p.heard),
      reassignedAt: parts.flatMap((p) => p.reassignedAt),
      errors: parts.reduce((sum, p) => sum + p.errors, 0),
      connectErrors: parts.reduce((sum, p) => sum + p.connectErrors, 0),
      lostPlaces: parts.reduce((sum, p) => sum + p.lostPlaces, 0),
    };
  }

  async stop(): Promise<void> {
    await this.all({ type: 'stop' }).catch(() => undefined);
    for (const child of this.children) child.disconnect();
    await Promise.all(this.children.map(exited));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const median = (values: number[]) => percentile(values, 50);

/**
 * Redis's totals: bytes sent, CPU of the process (includes its per-client background work, which
 * grows with connections), and the time spent in scripts (EVALSHA: the operation itself).
 */
async function redisCounters(
  client: Redis,
): Promise<{ bytesOut: number; cpuMs: number; scriptMs: number }> {
  const info = await client.info('everything');
  const fields = parseInfo(info);
  const script = /cmdstat_evalsha:calls=\d+,usec=(\d+)/.exec(info);
  return {
    bytesOut: fields.get('total_net_output_bytes') ?? 0,
    cpuMs: ((fields.get('used_cpu_user') ?? 0) + (fields.get('used_cpu_sys') ?? 0)) * 1000,
    scriptMs: Number(script?.[1] ?? 0) / 1000,
  };
}

/**
 * Redis's counters around one operation, and the background CPU to subtract from it: Redis's
 * CPU over an equal window just before, with nothing happening (at 10,000 connections its
 * per-client housekeeping, `clientsCron` at a `dynamic-hz` that grows with the clients, costs
 * about as much as the operation). The baseline is measured in the same run, beside each sample.
 */
async function windowed(probe: Redis, operation: () => Promise<unknown>, settleMs = 150) {
  const idleBefore = await redisCounters(probe);
  const idleStart = performance.now();
  await sleep(settleMs);
  const idleAfter = await redisCounters(probe);
  const idleMs = performance.now() - idleStart;
  const before = await redisCounters(probe);
  const start = performance.now();
  await operation();
  await sleep(settleMs);
  const after = await redisCounters(probe);
  const backgroundMs =
    ((idleAfter.cpuMs - idleBefore.cpuMs) / idleMs) * (performance.now() - start);
  return { before, after, backgroundMs };
}

/** Redis's own p99 latency of each command since the last CONFIG RESETSTAT (µs). */
async function latencyP99(client: Redis): Promise<Record<string, number>> {
  const info = (await client.call('INFO', 'latencystats')) as string;
  const result: Record<string, number> = {};
  for (const match of info.matchAll(/latency_percentiles_usec_([^:]+):.*?p99=([\d.]+)/g)) {
    result[match[1]] = Number(match[2]);
  }
  return result;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const record = (group: string, seq: number) => {
  const config: Record<string, unknown> = { apikey: `${group}-${seq}` };
  for (let i = 0; JSON.stringify(config).length < GROUP_BYTES - 60; i++)
    config[`setting_${i}`] = `value-${i}-${'x'.repeat(20)}`;
  return config; // about GROUP_BYTES of JSON with the record's own fields
};

async function measureOne(port: number, probe: Redis, size: number): Promise<SizeResult> {
  const namespace = uniqueNamespace(`scale-${size}`);
  const common = { redis: { url: `redis://127.0.0.1:${port}` }, namespace };
  const publisher = await startPublisher(common);
  const store = publisher.store as ConfigGroupStore;
  const names = Array.from({ length: GROUPS }, (_, i) => `g${String(i).padStart(4, '0')}`);
  for (const name of [...names, 'hot']) await store.publish(name, record(name, 0));

  const workers = new Workers(Math.max(1, Math.ceil(size / NODES_PER_WORKER)));
  await workers.all({
    type: 'setup',
    port,
    namespace,
    leaseMs: LEASE_MS,
    refreshMs: REFRESH_MS,
    commandConnections: 16,
  });
  const ids = Array.from({ length: size }, (_, i) => ({
    id: `n${i}`,
    requested: i < HOT_HOLDERS ? 'hot' : 'none',
  }));
  const perWorker = workers.children.map((_, w) =>
    ids.filter((_, i) => i % workers.children.length === w),
  );
  const holders = async () =>
    ((await workers.all({ type: 'holders' })) as [string, string | null, string][][]).flat();

  // Join storm: every node starts at a random time within STORM_MS.
  await probe.config('RESETSTAT');
  const stormStart = Date.now();
  // Bounded: nodes still connecting after STORM_BOUND_MS count as unplaced.
  await Promise.race([
    Promise.all(
      perWorker.map((nodes, w) => workers.request(w, { type: 'start', nodes, withinMs: STORM_MS })),
    ),
    sleep(STORM_BOUND_MS),
  ]);
  const placedMs = Date.now() - stormStart;
  const p99Us = await latencyP99(probe);
  const placed = await holders();
  // The spread as Redis has it (`{ns}:holders`), the truth the scripts decide on.
  const redisSpread = async () => {
    const entries = await probe.hvals(`{${namespace}}:holders`);
    const loads = new Map(names.map((n) => [n, 0]));
    for (const entry of entries) {
      const group = entry.slice(2);
      if (loads.has(group)) loads.set(group, (loads.get(group) ?? 0) + 1);
    }
    return Math.max(...loads.values()) - Math.min(...loads.values());
  };
  const spread = await redisSpread();
  const unplaced = placed.filter(([, group]) => group === null).length;

  // Heartbeats + refresh ticks, nothing else.
  await sleep(2000);
  const idleBefore = await redisCounters(probe);
  const idleStart = Date.now();
  await sleep(15_000);
  const idleAfter = await redisCounters(probe);
  const idleCpuPercent = ((idleAfter.cpuMs - idleBefore.cpuMs) / (Date.now() - idleStart)) * 100;
  const stormDrained = await workers.drain();
  const settledSpread = await redisSpread();

  // Publish → applied, with heartbeats running.
  for (let seq = 1; seq <= PUBLISHES; seq++) {
    await store.publish('hot', record('hot', seq));
    await sleep(200);
  }
  await sleep(500);
  const pushed = await workers.drain();

  // Bytes and CPU per publish, with timers quiet (the publish alone). Quiet nodes renew no lease:
  // every few operations they beat once (a full beat period) so that no lease runs out while
  // measuring (a mass expiry would purge every place and re-place every node in a window).
  const quiet = async () => {
    await workers.all({ type: 'quiet', on: true });
    await sleep(500);
  };
  const renewLeases = async () => {
    await workers.all({ type: 'quiet', on: false });
    await sleep(Math.min(LEASE_MS / 3, REFRESH_MS) + 1000);
    await quiet();
  };
  await quiet();
  await sleep(500);
  const perPublish: { bytesOut: number; cpuMs: number; netCpuMs: number; scriptMs: number }[] = [];
  const baseline = await redisCounters(probe);
  const baseline2 = await redisCounters(probe);
  const infoBytes = baseline2.bytesOut - baseline.bytesOut;
  for (let seq = PUBLISHES + 1; seq <= 2 * PUBLISHES; seq++) {
    if (seq % 5 === 0) await renewLeases();
    const { before, after, backgroundMs } = await windowed(probe, () =>
      store.publish('hot', record('hot', seq)),
    );
    perPublish.push({
      bytesOut: after.bytesOut - before.bytesOut - infoBytes,
      cpuMs: after.cpuMs - before.cpuMs,
      netCpuMs: after.cpuMs - before.cpuMs - backgroundMs,
      scriptMs: after.scriptMs - before.scriptMs,
    });
  }
  const quietHeard = await workers.drain();
  let lostWhileMeasuring = pushed.lostPlaces + quietHeard.lostPlaces;
  const heardBy = quietHeard.heard.length;

  // One leave, one join at a time (timers quiet): what other nodes hear, what Redis sends.
  const membership = async (change: () => Promise<unknown>, self: string) => {
    const { before, after, backgroundMs } = await windowed(probe, change, 300);
    const drained = await workers.drain();
    lostWhileMeasuring += drained.lostPlaces;
    const others = drained.heard.filter(([id]) => id !== self);
    return {
      bytesToOthers: others.reduce((sum, [, h]) => sum + h.bytes, 0),
      messagesToOthers: others.reduce((sum, [, h]) => sum + h.messages, 0),
      bytesOut: after.bytesOut - before.bytesOut - infoBytes,
      cpuMs: after.cpuMs - before.cpuMs,
      netCpuMs: after.cpuMs - before.cpuMs - backgroundMs,
      scriptMs: after.scriptMs - before.scriptMs,
    };
  };
  const leaves = [];
  const joins = [];
  for (let i = 0; i < MEMBERSHIP_CHANGES; i++) {
    await renewLeases();
    await workers.drain();
    const id = `n${HOT_HOLDERS + i}`;
    const worker = (HOT_HOLDERS + i) % workers.children.length;
    leaves.push(await membership(() => workers.request(worker, { type: 'leave', ids: [id] }), id));
    const joiner = `j${i}`;
    joins.push(
      await membership(
        () =>
          workers.request(worker, {
            type: 'start',
            nodes: [{ id: joiner, requested: 'none' }],
            withinMs: 0,
          }),
        joiner,
      ),
    );
  }
  const medianOf = (rows: Record<string, number>[], key: string) =>
    median(rows.map((r) => r[key])) ?? 0;
  const summary = (rows: Record<string, number>[]) => ({
    bytesToOthers: medianOf(rows, 'bytesToOthers'),
    messagesToOthers: medianOf(rows, 'messagesToOthers'),
    bytesOut: medianOf(rows, 'bytesOut'),
    cpuMs: medianOf(rows, 'cpuMs'),
    netCpuMs: medianOf(rows, 'netCpuMs'),
    scriptMs: medianOf(rows, 'scriptMs'),
  });
  await workers.all({ type: 'quiet', on: false });

  // The hot group deleted: its 10 holders must take a pool group.
  await workers.drain();
  const deletedAt = Date.now();
  await store.delete('hot');
  await waitUntil(
    'the hot holders reassigned',
    async () =>
      (await holders()).filter(
        ([id, group]) =>
          Number(id.slice(1)) < HOT_HOLDERS &&
          id.startsWith('n') &&
          group !== 'hot' &&
          group !== null,
      ).length === HOT_HOLDERS,
    30_000,
  ).catch(() => undefined);
  await sleep(200);
  const deleted = await workers.drain();
  const reassignMs = deleted.reassignedAt.map((at) => at - deletedAt);

  const errors = stormDrained.errors + pushed.errors + deleted.errors;
  await workers.stop();
  await publisher.app.close();
  return {
    protocol: 'v2',
    groupBytes: GROUP_BYTES,
    nodes: size,
    storm: { placedMs, spread, settledSpread, unplaced, p99Us },
    leaseMs: LEASE_MS,
    refreshMs: REFRESH_MS,
    stormMs: STORM_MS,
    lostPlaces: stormDrained.lostPlaces,
    lostPlacesWhileMeasuring: lostWhileMeasuring + deleted.lostPlaces,
    idleCpuPercent,
    publish: {
      bytesOut: median(perPublish.map((p) => p.bytesOut)) ?? 0,
      cpuMs: median(perPublish.map((p) => p.cpuMs)) ?? 0,
      netCpuMs: median(perPublish.map((p) => p.netCpuMs)) ?? 0,
      scriptMs: median(perPublish.map((p) => p.scriptMs)) ?? 0,
      appliedP50: median(pushed.applied),
      appliedP99: percentile(pushed.applied, 99),
      heardBy,
    },
    leave: summary(leaves),
    join: summary(joins),
    deleteHot: { reassigned: reassignMs.length, p99Ms: percentile(reassignMs, 99) },
    errors,
    connectErrors: stormDrained.connectErrors,
  };
}

async function main(): Promise<void> {
  const redis = await startBenchRedis([
    '--maxclients',
    '19000',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  const probe = redis.client();
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    process.stdout.write(`scale bench: ${size} nodes, groups of ~${GROUP_BYTES} B…\n`);
    const result = await measureOne(redis.port, probe, size);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    results.push(result);
  }
  probe.disconnect();
  // A name lands in bench/results/; an absolute path is taken as it is.
  const out = resolve(REPO_ROOT, 'bench', 'results', process.env.BENCH_SCALE_OUT ?? 'scale.json');
  writeFileSync(out, JSON.stringify({ machine: machineInfo(), results }, null, 2));
  process.stdout.write(`written ${out}\n`);
  await redis.kill();
  process.exit(0);
}

void main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
