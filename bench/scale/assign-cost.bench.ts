import Redis from 'ioredis';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWire } from './light-node';
import { parseCommandStats, parseInfo, startBenchRedis } from '../lib/bench-redis';
import { machineInfo, REPO_ROOT } from '../lib/bench-report';

/**
 * Redis CPU of one placement (the assign script) over 1,000 groups, as 10,000 nodes join one by
 * one: the cost that bounds a join storm (O(log groups): the placement index). CPU time (INFO cpu
 * and commandstats), not wall time: stable on a shared machine. (Issue 12's comparison with the
 * unreleased protocol 1's O(groups) placement is in bench/results/assign-cost.json's history.)
 */
const GROUPS = 1000;
const NODES = Number(process.env.BENCH_ASSIGN_NODES ?? 10_000);
const STEP = 1000;

async function main(): Promise<void> {
  const redis = await startBenchRedis();
  const client = new Redis({ port: redis.port });
  const names = Array.from({ length: GROUPS }, (_, i) => `g${String(i).padStart(4, '0')}`);
  const cpuMs = async () => {
    const info = parseInfo(await client.info('cpu'));
    return ((info.get('used_cpu_user') ?? 0) + (info.get('used_cpu_sys') ?? 0)) * 1000;
  };
  const evalshaUsec = async () =>
    parseCommandStats(await client.info('commandstats')).get('evalsha')?.usec ?? 0;
  const rows: { release: string; placements: string; scriptMs: number; processMs: number }[] = [];
  {
    const wire = loadWire();
    const namespace = 'assign-cost';
    const keys = new wire.ConfigKeys(namespace);
    for (const name of names) {
      await client.hset(
        namespace,
        name,
        JSON.stringify({ group_name: name, group_version: 0, config_dict: {} }),
      );
    }
    const scriptClient = wire.withScripts(new Redis({ port: redis.port }));
    const scripts = new wire.AssignmentScripts(scriptClient, keys, 3_600_000);
    const report = {
      id: 'x',
      address: '127.0.0.1',
      requestedGroup: 'none',
      group: null,
      version: null,
      holding: 'none',
      shared: [],
    };
    for (let from = 0; from < NODES; from += STEP) {
      const before = await cpuMs();
      const scriptBefore = await evalshaUsec();
      for (let i = from; i < from + STEP; i++) {
        await scripts.assign(
          { nodeId: `n${i}`, requested: 'none', mode: 'place', capacity: 0, pool: { globs: [] } },
          report,
        );
      }
      const processMs = ((await cpuMs()) - before) / STEP;
      const script = ((await evalshaUsec()) - scriptBefore) / STEP / 1000;
      const row = {
        release: 'this release',
        placements: `${from + 1}–${from + STEP}`,
        scriptMs: script,
        processMs,
      };
      rows.push(row);
      console.log(
        `${row.release} | placements ${row.placements} | ${script.toFixed(3)} ms script | ` +
          `${processMs.toFixed(3)} ms Redis process`,
      );
    }
    scriptClient.disconnect();
  }
  const out = join(REPO_ROOT, 'bench', 'results', 'assign-cost.json');
  writeFileSync(
    out,
    `${JSON.stringify({ machine: machineInfo(), groups: GROUPS, rows }, null, 2)}\n`,
  );
  client.disconnect();
  await redis.kill();
  process.exit(0);
}

void main();
