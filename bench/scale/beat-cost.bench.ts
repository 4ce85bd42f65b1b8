import Redis from 'ioredis';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AssignmentScripts,
  NodeReport,
} from '../../libs/redis-config/src/assignment/assignment-scripts';
import { LeaseKeeper } from '../../libs/redis-config/src/assignment/lease-keeper';
import { ConfigKeys } from '../../libs/redis-config/src/wire/config-keys';
import { withScripts } from '../../libs/redis-config/src/wire/redis-scripts';
import { libraryBuiltAt } from '../lib/library-at-commit';
import {
  commandStatsDelta,
  parseCommandStats,
  parseInfo,
  startBenchRedis,
} from '../lib/bench-redis';
import {
  benchCommand,
  machineInfo,
  markdownTable,
  runBench,
  saveResult,
} from '../lib/bench-report';
import { fmt } from '../lib/stats';

/**
 * Issues 12 and 22: the Redis CPU of the nodes' periodic calls at 10,000 nodes with the default
 * lease (10 s) and refresh (5 s), before and after a change, in the same run on the same Redis.
 * N leases are registered with the real assign script (each node pinned to one of 1,000 groups of
 * `BENCH_BEAT_GROUP_BYTES` of JSON, ~1 KB by default; 10 % of the groups carry a finished
 * rollout), one connection per node.
 *
 * - before (`BENCH_BEAT_BASE`, default 1998327, the library built from git history): that
 *   commit's own `LeaseKeeper` + `AssignmentScripts` (its heartbeat script hashes the held group
 *   on every check);
 * - after (this checkout): the real `LeaseKeeper` + `AssignmentScripts` a node runs, one beat every
 *   min(lease / 3, refresh) carrying the check (a digest stored at write time), the report sent
 *   once.
 *
 * - ping: a PING per node at the same period, the floor of any design with one round trip per beat.
 * - empty-script: the real lease keeper, but its heartbeat runs a script that only returns (same
 *   KEYS and ARGV, a reply of the same shape): the floor of any design with one script per beat.
 *
 * Rounds alternate the modes (`BENCH_BEAT_MODES`; idle is the connections alone); each measures `used_cpu_user + used_cpu_sys` and
 * `INFO commandstats` over a window after a warm-up of one period, with random phases.
 */
const NODES = Number(process.env.BENCH_BEAT_NODES ?? 10_000);
const GROUPS = 1000;
const LEASE_MS = Number(process.env.BENCH_BEAT_LEASE_MS ?? 10_000);
const REFRESH_MS = Number(process.env.BENCH_BEAT_REFRESH_MS ?? 5000);
const WINDOW_MS = Number(process.env.BENCH_BEAT_WINDOW_MS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_BEAT_ROUNDS ?? 3);
const BASE = process.env.BENCH_BEAT_BASE ?? '1998327';
const GROUP_BYTES = Number(process.env.BENCH_BEAT_GROUP_BYTES ?? 1000);
const NAMESPACE = 'rcc::config::redis_config_center';

type Mode = 'before' | 'after' | 'empty-script' | 'ping' | 'idle';
/** Which modes alternate (`BENCH_BEAT_MODES`, comma-separated): `before` builds BASE from git. */
const MODES = (process.env.BENCH_BEAT_MODES ?? 'before,after,empty-script,ping,idle').split(
  ',',
) as Mode[];

interface Round {
  mode: Mode;
  cpuPercent: number;
  callsPerS: number;
  evalshaPerS: number;
  evalshaUsecPerCall: number;
  hmgetTopLevelPerS: number;
  infoWritesPerS: number;
  load1: number;
}

const groupName = (i: number) => `g${String(i).padStart(4, '0')}`;

function record(name: string): string {
  const config: Record<string, string> = {};
  for (let i = 0; JSON.stringify(config).length < GROUP_BYTES; i++)
    config[`key_${i}`] = `value-${i}`;
  return JSON.stringify({ group_name: name, group_version: 3, config_dict: config });
}

function reportOf(id: string, group: string): NodeReport {
  return {
    appliedAtMs: 1_796_000_000_000,
    id,
    address: '10.42.0.17',
    requestedGroup: group,
    group,
    version: 3,
    holding: 'pinned',
    shared: [],
  };
}

async function redisCpuMs(client: Pick<Redis, 'info'>): Promise<number> {
  const info = parseInfo(await client.info('cpu'));
  return ((info.get('used_cpu_user') ?? 0) + (info.get('used_cpu_sys') ?? 0)) * 1000;
}

async function main(): Promise<void> {
  const started = Date.now();
  const machine = machineInfo();
  const redis = await startBenchRedis(['--maxclients', String(NODES + 200)]);
  const admin = withScripts(new Redis({ port: redis.port }));
  const keys = new ConfigKeys(NAMESPACE);
  for (let i = 0; i < GROUPS; i++)
    await admin.hset(keys.groups, groupName(i), record(groupName(i)));
  // A finished rollout on one group in ten (its state is read by every holder's check).
  for (let i = 0; i < GROUPS; i += 10) {
    const state = {
      id: `r${i}`,
      group: groupName(i),
      baseVersion: 2,
      version: 3,
      status: 'promoted',
      step: 1,
      steps: [{ percent: 10, bakeMs: 60_000 }],
      startedAtMs: 1_796_000_000_000,
      stepStartedAtMs: 1_796_000_000_000,
      finishedAtMs: 1_796_000_060_000,
      published: true,
      revertedVersion: null,
      author: 'ops',
      comment: 'bench',
      outcome: 'promoted after its steps',
    };
    await admin.hset(
      keys.rollout(groupName(i)),
      'state',
      JSON.stringify(state),
      'canaries',
      '["x"]',
    );
  }
  const ids = Array.from(
    { length: NODES },
    (_, i) => `bench-node-${i}/10.42.${i >> 8}.${i & 255}/1`,
  );
  const groupOf = (n: number) => groupName(n % GROUPS);
  // Registration with the real assign script (a long lease: nothing expires between rounds).
  const registrar = new AssignmentScripts(admin, keys, 600_000);
  for (let n = 0; n < NODES; n++) {
    await registrar.assign(
      { nodeId: ids[n], requested: groupOf(n), mode: 'place', capacity: 0, pool: { globs: [] } },
      reportOf(ids[n], groupOf(n)),
    );
  }
  process.stdout.write(
    `${NODES} leases registered in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );

  // The base commit's own lease keeper and scripts, as its nodes run them (its heartbeat script
  // through EVALSHA on the same connections: `rccHeartbeat` is this checkout's name there too).
  const base = libraryBuiltAt(BASE);
  const old = {
    ...(require(join(base, 'assignment', 'assignment-scripts')) as {
      AssignmentScripts: typeof AssignmentScripts;
    }),
    ...(require(join(base, 'assignment', 'lease-keeper')) as { LeaseKeeper: typeof LeaseKeeper }),
    ...(require(join(base, 'wire', 'config-keys')) as { ConfigKeys: typeof ConfigKeys }),
  };
  const oldHeartbeat = (
    require(join(base, 'wire', 'lua', 'heartbeat.lua')) as { HEARTBEAT_LUA: string }
  ).HEARTBEAT_LUA;
  const oldHeartbeatSha = (await admin.script('LOAD', oldHeartbeat)) as string;
  const oldKeys = new old.ConfigKeys(NAMESPACE);
  // A heartbeat reply that changes nothing for the keeper: no entry, no next expiry, report stored.
  const emptySha = (await admin.script('LOAD', 'return { false, 0, false, 1, false }')) as string;

  const connections: Redis[] = [];
  for (let n = 0; n < NODES; n++) {
    connections.push(new Redis({ port: redis.port, enableOfflineQueue: true }));
    if (n % 500 === 499) await Promise.all(connections.slice(-500).map((c) => c.ping()));
  }
  await Promise.all(connections.map((c) => c.ping()));
  const clients = connections.map((c) => withScripts(c));
  process.stdout.write(`${NODES} connections open\n`);

  let calls = 0;
  let errors = 0;
  const done = () => calls++;
  const failed = () => errors++;

  /** Starts one mode's periodic calls on every node (random phases); returns how to stop them. */
  function startMode(mode: Mode): () => Promise<void> {
    const timers: NodeJS.Timeout[] = [];
    if (mode === 'idle') return () => Promise.resolve();
    const keepers: LeaseKeeper[] = [];
    const periodMs = Math.min(LEASE_MS / 3, REFRESH_MS);
    if (mode === 'ping') {
      // The floor of any design with one round trip per node per beat: a PING instead of the beat.
      for (const client of clients) {
        const beat = () => void client.ping().then(done, failed);
        timers.push(
          setTimeout(() => {
            beat();
            timers.push(setInterval(beat, periodMs));
          }, Math.random() * periodMs),
        );
      }
      return () => {
        for (const timer of timers) clearTimeout(timer);
        return Promise.resolve();
      };
    }
    for (let n = 0; n < NODES; n++) {
      const id = ids[n];
      const group = groupOf(n);
      const report = reportOf(id, group);
      const client = clients[n];
      const through = (sha: string) =>
        ({
          rccHeartbeat: (...args: (string | number)[]) => client.call('EVALSHA', sha, ...args),
        }) as unknown as typeof client;
      const scripts =
        mode === 'before'
          ? new old.AssignmentScripts(through(oldHeartbeatSha), oldKeys, LEASE_MS)
          : mode === 'empty-script'
            ? new AssignmentScripts(through(emptySha), keys, LEASE_MS, REFRESH_MS)
            : new AssignmentScripts(client, keys, LEASE_MS, REFRESH_MS);
      const Keeper = mode === 'before' ? old.LeaseKeeper : LeaseKeeper;
      const keeper = new Keeper(scripts, id, {
        leaseMs: LEASE_MS,
        periodMs,
        checkEveryMs: REFRESH_MS,
        report: () => report,
        check: () => ({ nodeId: id, held: group, requested: group, shared: [] }),
        onResult: done,
        onError: failed,
      });
      keepers.push(keeper);
      timers.push(setTimeout(() => keeper.start(), Math.random() * periodMs));
    }
    return async () => {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(keepers.map((keeper) => keeper.stop()));
    };
  }

  const rounds: Round[] = [];
  const modes: Mode[] = [];
  for (let r = 0; r < ROUNDS; r++) modes.push(...MODES);
  for (const mode of modes) {
    const stop = startMode(mode);
    // Every node has made its first calls (a keeper beats one period after its start, which
    // falls within the first period; its first beat sends the report and may load the script).
    await sleep(2 * Math.max(LEASE_MS / 3, REFRESH_MS) + 1000);
    const statsBefore = parseCommandStats(await admin.info('commandstats'));
    const cpuBefore = await redisCpuMs(admin);
    const callsBefore = calls;
    const t0 = Date.now();
    await sleep(WINDOW_MS);
    const cpuAfter = await redisCpuMs(admin);
    const seconds = (Date.now() - t0) / 1000;
    const delta = commandStatsDelta(
      statsBefore,
      parseCommandStats(await admin.info('commandstats')),
    );
    const callsInWindow = calls - callsBefore;
    await stop();
    await sleep(1000);
    const evalsha = delta.get('evalsha') ?? { calls: 0, usec: 0 };
    const hmget = delta.get('hmget') ?? { calls: 0, usec: 0 };
    const hset = delta.get('hset') ?? { calls: 0, usec: 0 };
    const round: Round = {
      mode,
      cpuPercent: ((cpuAfter - cpuBefore) / 1000 / seconds) * 100,
      callsPerS: callsInWindow / seconds,
      evalshaPerS: evalsha.calls / seconds,
      evalshaUsecPerCall: evalsha.calls ? evalsha.usec / evalsha.calls : 0,
      hmgetTopLevelPerS: hmget.calls / seconds,
      infoWritesPerS: hset.calls / seconds,
      load1: loadavg()[0],
    };
    rounds.push(round);
    process.stdout.write(
      `${mode}: Redis CPU ${fmt(round.cpuPercent)} % of a core, ${fmt(round.callsPerS)} calls/s ` +
        `(EVALSHA ${fmt(round.evalshaPerS)}/s at ${fmt(round.evalshaUsecPerCall)} µs, ` +
        `HMGET ${fmt(round.hmgetTopLevelPerS)}/s), node-info writes ${fmt(round.infoWritesPerS)}/s, ` +
        `load ${fmt(round.load1)}, errors ${errors}\n`,
    );
  }

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  const summary = (mode: Mode) => {
    const of = rounds.filter((round) => round.mode === mode);
    if (of.length === 0) return null;
    const pick = (field: keyof Omit<Round, 'mode'>) => median(of.map((round) => round[field]));
    return {
      cpuPercent: pick('cpuPercent'),
      callsPerS: pick('callsPerS'),
      evalshaPerS: pick('evalshaPerS'),
      evalshaUsecPerCall: pick('evalshaUsecPerCall'),
      hmgetTopLevelPerS: pick('hmgetTopLevelPerS'),
      infoWritesPerS: pick('infoWritesPerS'),
      load1: pick('load1'),
    };
  };
  const labels: Record<Mode, string> = {
    before: `before (${BASE}): its own lease keeper and heartbeat script`,
    after: 'after: this checkout (digests stored at write time)',
    'empty-script':
      'empty script: the same beats, a script that only returns (the floor of one script per beat)',
    ping: 'ping: a PING per node per beat instead (the floor of one round trip per beat)',
    idle: 'idle: the same connections open, no call',
  };
  const summaries = Object.fromEntries(MODES.map((mode) => [mode, summary(mode)]));
  const after = summaries.after;
  const table = markdownTable([
    [
      'periodic calls',
      'Redis CPU (of one core)',
      'calls/s',
      'EVALSHA/s at µs per call',
      'HMGET/s (in scripts too)',
      'HSET/s (reports, digests re-stamped)',
      'load average (1 min)',
    ],
    ...MODES.flatMap((mode) => {
      const s = summaries[mode];
      return s
        ? [
            [
              labels[mode],
              `${fmt(s.cpuPercent)} %`,
              fmt(s.callsPerS),
              `${fmt(s.evalshaPerS)} at ${fmt(s.evalshaUsecPerCall)} µs`,
              fmt(s.hmgetTopLevelPerS),
              fmt(s.infoWritesPerS),
              fmt(s.load1),
            ],
          ]
        : [];
    }),
  ]);
  const markdown =
    `${NODES.toLocaleString('en-US')} nodes (one connection each), ${GROUPS} groups of ~${GROUP_BYTES} B, ` +
    `lease ${LEASE_MS / 1000} s, refresh ${REFRESH_MS / 1000} s; medians of ${ROUNDS} windows of ` +
    `${WINDOW_MS / 1000} s per mode, alternated; ${machine.cpus} cores, Redis ${await redisVersion(admin)}.\n\n${table}`;
  await saveResult({
    name: process.env.BENCH_BEAT_NAME ?? 'beat-cost',
    command: benchCommand(__filename),
    machine,
    durationS: Math.round((Date.now() - started) / 1000),
    goals: after
      ? [
          {
            goal: `heartbeats + refresh ticks at ${NODES} nodes ≤ 10 % of one Redis core`,
            measured: MODES.map(
              (mode) => `${mode} ${fmt(summaries[mode]?.cpuPercent ?? NaN)} %`,
            ).join('; '),
            met: after.cpuPercent <= 10,
          },
        ]
      : [],
    markdown,
    data: {
      nodes: NODES,
      groups: GROUPS,
      groupBytes: GROUP_BYTES,
      leaseMs: LEASE_MS,
      refreshMs: REFRESH_MS,
      base: BASE,
      rounds,
      ...summaries,
      errors,
    },
  });
  for (const connection of connections) connection.disconnect();
  admin.disconnect();
}

async function redisVersion(client: Pick<Redis, 'info'>): Promise<string> {
  const match = /redis_version:(\S+)/.exec(await client.info('server'));
  return match?.[1] ?? 'unknown';
}

runBench(main, 30 * 60_000);
