import type { INestApplicationContext } from '@nestjs/common';
import type { ConfigGroupService } from '@rcc/redis-config';
import request from 'supertest';
import { startAdmin } from '../test/admin/admin-app';
import { startNode } from '../test/helpers/config-node';
import { uniqueNamespace } from '../test/helpers/redis-server';
import { waitFor } from '../test/helpers/wait-for';
import { parseInfo, startBenchRedis } from './lib/bench-redis';
import { benchCommand, machineInfo, markdownTable, runBench, saveResult } from './lib/bench-report';
import { fmt, median } from './lib/stats';

/**
 * Question: what does one write through the admin (`PUT /api/groups/:name`, audited) cost Redis
 * in bytes sent, against the size of the record it writes, when the group's history is full
 * (RCC_HISTORY_LIMIT versions kept) and two nodes hold the group? Redis's own counter
 * (`INFO stats` `total_net_output_bytes`) over WRITES writes, per record size; the bench waits
 * for each write's audit entry and for both nodes to run its version, so every byte a write
 * causes is counted. DESIGN §16 asks for about the record once per holder plus a small constant.
 * Then the same for WRITES rollbacks (`POST /api/groups/:name/rollback` to the version ten back),
 * which must find one kept version, not read the history.
 */
const WRITES = Number(process.env.BENCH_WRITE_COST_WRITES ?? 20);
const HOLDERS = 2;
const SIZES = [1024, 4096, 32768];

/** A config whose stored record is about `bytes` long. */
function configOf(bytes: number, round: number): Record<string, unknown> {
  const config: Record<string, unknown> = { apikey: `AIza-bench-${round}`, round };
  for (let i = 0; config && JSON.stringify(config).length < bytes - 120; i++) {
    config[`setting_${i}`] = `value-${round}-${'x'.repeat(48)}`;
  }
  return config;
}

async function main(): Promise<void> {
  const began = Date.now();
  const machine = machineInfo();
  const redis = await startBenchRedis();
  const rows: string[][] = [
    [
      'record (bytes)',
      'history kept',
      'Redis bytes sent per write (median of 3 runs)',
      '÷ record',
      '÷ (record × holders)',
      'per rollback (median of 3 runs)',
      '÷ record',
    ],
  ];
  const data: Record<string, unknown>[] = [];
  const client = redis.client();
  try {
    for (const size of SIZES) {
      const runs: number[] = [];
      const rollbackRuns: number[] = [];
      let recordBytes = 0;
      let historyKept = 0;
      for (let run = 0; run < 3; run++) {
        const namespace = uniqueNamespace('bench-write');
        const admin = await startAdmin(redis, {
          settings: { writeRateLimit: 0 },
          redisConfig: { namespace },
        });
        const nodes: INestApplicationContext[] = [];
        const http = () => request(admin.app.getHttpServer());
        const put = (round: number) =>
          http()
            .put('/api/groups/payments')
            .set('Authorization', admin.auth)
            .send({ config: configOf(size, round) })
            .expect(200);
        try {
          // A full history first (RCC_HISTORY_LIMIT, 50 by default), then the holders.
          for (let round = 0; round < 60; round++) await put(round);
          const holders: ConfigGroupService[] = [];
          for (let i = 0; i < HOLDERS; i++) {
            const node = await startNode({
              redis: { url: redis.url },
              namespace,
              group: 'payments',
              nodeId: `bench-node-${i}`,
            });
            nodes.push(node.app);
            holders.push(node.config);
          }
          const auditKey = `{${namespace}}:audit`;
          const audited = await client.xlen(auditKey);
          historyKept = await client.llen(`{${namespace}}:history:payments`);
          const before = parseInfo(await client.info('stats')).get('total_net_output_bytes') ?? 0;
          let last = 0;
          for (let round = 100; round < 100 + WRITES; round++) {
            last = ((await put(round)).body as { version: number }).version;
          }
          await waitFor(
            'every write audited and run by every holder',
            async () =>
              (await client.xlen(auditKey)) === audited + WRITES &&
              holders.every((config) => config.getConfigGroup()?.version === last),
            30_000,
          );
          const after = parseInfo(await client.info('stats')).get('total_net_output_bytes') ?? 0;
          recordBytes = Buffer.byteLength((await client.hget(namespace, 'payments')) ?? '', 'utf8');
          runs.push((after - before) / WRITES);
          for (let round = 0; round < WRITES; round++) {
            const { body } = await http()
              .post('/api/groups/payments/rollback')
              .set('Authorization', admin.auth)
              .send({ version: last - 10 })
              .expect(200);
            last = (body as { version: number }).version;
          }
          await waitFor(
            'every rollback audited and run by every holder',
            async () =>
              (await client.xlen(auditKey)) === audited + 2 * WRITES &&
              holders.every((config) => config.getConfigGroup()?.version === last),
            30_000,
          );
          const rolledBack =
            parseInfo(await client.info('stats')).get('total_net_output_bytes') ?? 0;
          rollbackRuns.push((rolledBack - after) / WRITES);
        } finally {
          for (const node of nodes) await node.close();
          await admin.app.close();
        }
      }
      const perWrite = median(runs);
      rows.push([
        String(recordBytes),
        String(historyKept),
        fmt(perWrite, 0),
        fmt(perWrite / recordBytes, 2),
        fmt(perWrite / (recordBytes * HOLDERS), 2),
        fmt(median(rollbackRuns), 0),
        fmt(median(rollbackRuns) / recordBytes, 2),
      ]);
      data.push({
        size,
        recordBytes,
        historyKept,
        holders: HOLDERS,
        writes: WRITES,
        runs,
        rollbackRuns,
      });
    }
  } finally {
    client.disconnect();
    await redis.dispose();
  }
  /** The largest median of bytes sent ÷ record size, over the sizes. */
  const worst = (runs: 'runs' | 'rollbackRuns') =>
    Math.max(...data.map((row) => median(row[runs] as number[]) / (row.recordBytes as number)));
  await saveResult({
    name: 'write-cost',
    command: benchCommand(__filename),
    machine,
    durationS: Math.round((Date.now() - began) / 1000),
    goals: [
      {
        goal: `Redis bytes per audited write ≤ record × (${HOLDERS} holders + 1) + 2 KB`,
        measured: `worst ${fmt(worst('runs'), 2)}× the record`,
        met: data.every(
          (row) =>
            median(row.runs as number[]) <= (row.recordBytes as number) * (HOLDERS + 1) + 2048,
        ),
      },
      {
        goal: 'Redis bytes per audited rollback ≤ record × 10 (a few records, not the 50 kept)',
        measured: `worst ${fmt(worst('rollbackRuns'), 2)}× the record`,
        met: data.every(
          (row) => median(row.rollbackRuns as number[]) <= (row.recordBytes as number) * 10,
        ),
      },
    ],
    markdown: markdownTable(rows),
    data,
  });
}

runBench(main, 10 * 60_000);
