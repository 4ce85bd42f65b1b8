import Redis from 'ioredis';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo, REPO_ROOT } from '../lib/bench-report';
import { parseCommandStats, parseInfo, startBenchRedis } from '../lib/bench-redis';

/**
 * What closing a leaving node's subscriber (two shard channels) costs Redis with
 * BENCH_LEAVE_CONNECTIONS other connections open: the process's CPU over a short window around
 * each close, averaged over BENCH_LEAVE_COUNT closes one at a time (the background noise of one
 * window averages out), minus as many windows with nothing happening, alternated with them in
 * the same run. The other part of a leave, the release script, is O(log groups) (lease-common).
 */
const IDLE_CONNECTIONS = Number(process.env.BENCH_LEAVE_CONNECTIONS ?? 10_000);
const LEAVES = Number(process.env.BENCH_LEAVE_COUNT ?? 200);

async function main(): Promise<void> {
  const redis = await startBenchRedis(['--maxclients', '19000']);
  const probe = new Redis({ port: redis.port });
  const idle: Redis[] = [];
  for (let i = 0; i < IDLE_CONNECTIONS; i += 500) {
    const batch = Array.from({ length: Math.min(500, IDLE_CONNECTIONS - i) }, () => {
      const client = new Redis({ port: redis.port, lazyConnect: true });
      idle.push(client);
      return client.connect();
    });
    await Promise.all(batch);
  }
  const cpuMs = async () => {
    const info = parseInfo(await probe.info('cpu'));
    return ((info.get('used_cpu_user') ?? 0) + (info.get('used_cpu_sys') ?? 0)) * 1000;
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const window = async (work: () => Promise<unknown>) => {
    const before = await cpuMs();
    await work();
    await sleep(20);
    return (await cpuMs()) - before;
  };
  const subscribers: Redis[] = [];
  for (let i = 0; i < LEAVES; i++) {
    const subscriber = new Redis({ port: redis.port });
    await subscriber.ssubscribe('{ns}:control', `{ns}:events:g${i % 1000}`);
    subscribers.push(subscriber);
  }
  let nothing = 0;
  let close = 0;
  for (let i = 0; i < LEAVES; i++) {
    nothing += await window(async () => undefined);
    const subscriber = subscribers[i];
    close += await window(async () => {
      subscriber.disconnect();
      await new Promise((resolve) => subscriber.once('end', resolve));
    });
  }
  const stats = parseCommandStats(await probe.info('commandstats'));
  process.stdout.write(
    `${IDLE_CONNECTIONS} idle connections, ${LEAVES} leaves: Redis CPU per window with nothing ` +
      `${(nothing / LEAVES).toFixed(3)} ms, per window closing a subscriber of two shard ` +
      `channels ${(close / LEAVES).toFixed(3)} ms (net ${((close - nothing) / LEAVES).toFixed(3)} ms); ` +
      `ssubscribe calls ${stats.get('ssubscribe')?.calls ?? 0}\n`,
  );
  const name = `leave-cost-${IDLE_CONNECTIONS}.json`;
  const result = {
    machine: machineInfo(),
    idleConnections: IDLE_CONNECTIONS,
    leaves: LEAVES,
    nothingMsPerWindow: nothing / LEAVES,
    closeMsPerWindow: close / LEAVES,
    netCloseMs: (close - nothing) / LEAVES,
  };
  writeFileSync(join(REPO_ROOT, 'bench', 'results', name), `${JSON.stringify(result, null, 2)}\n`);
  for (const client of idle) client.disconnect();
  probe.disconnect();
  await redis.kill();
  process.exit(0);
}

void main();
