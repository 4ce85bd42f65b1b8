import type { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupService } from '@rcc/redis-config';
import { NodeRegistry } from '@rcc/redis-config/publisher';
import request from 'supertest';
import { startAdmin, TestAdmin } from '../test/admin/admin-app';
import { startNode, startPublisher } from '../test/helpers/config-node';
import { uniqueNamespace } from '../test/helpers/redis-server';
import { waitFor } from '../test/helpers/wait-for';
import { startBenchRedis } from './lib/bench-redis';
import { machineInfo } from './lib/bench-report';
import { summarize } from './lib/stats';

/**
 * Rollouts (docs/ROLLOUTS.md): (1) from one canary's `reportProblem` to every canary back on the
 * stable config, (2) the verification round (POST → 201: store, ask, every holder's answer, first
 * step) with 10 and 100 holders. Every node is a real Nest application context of the library
 * (its own two Redis connections, its own participant), all in this one process with the admin:
 * what is simulated is only the machine (one process, shared cores), not the nodes' work.
 *
 *   npm run bench:rollout   (BENCH_ROLLOUT_SIZES=10,100, BENCH_ROLLOUT_VERIFY_ROUNDS=10,
 *                            BENCH_ROLLOUT_PROBLEM_ROUNDS=20)
 */
const SIZES = (process.env.BENCH_ROLLOUT_SIZES ?? '10,100').split(',').map(Number);
const VERIFY_ROUNDS = Number(process.env.BENCH_ROLLOUT_VERIFY_ROUNDS ?? 10);
const PROBLEM_ROUNDS = Number(process.env.BENCH_ROLLOUT_PROBLEM_ROUNDS ?? 20);
const PROBLEM_NODES = 10;

interface Node {
  id: string;
  app: INestApplicationContext;
  config: ConfigGroupService;
}

const validate = (config: Record<string, unknown>) => {
  if ('apikey' in config && typeof config.apikey !== 'string') throw new Error('apikey: a string');
};

async function fleet(url: string, namespace: string, size: number, admin: TestAdmin) {
  const nodes: Node[] = [];
  for (let i = 0; i < size; i++) {
    const id = `bench-${String(i).padStart(3, '0')}`;
    const { app, config } = await startNode({
      redis: { url },
      namespace,
      nodeId: id,
      group: 'bench',
      refreshMs: 5000,
      validate,
    });
    nodes.push({ id, app, config });
  }
  const registry = admin.app.get(NodeRegistry);
  await waitFor(
    `${size} holders`,
    async () => (await registry.list()).filter((n) => n.group === 'bench').length === size,
    60_000,
  );
  return nodes;
}

async function main(): Promise<void> {
  process.env.RCC_ROLLOUT_TICK_MS = '50';
  process.env.RCC_ROLLOUT_VERIFY_MS = '10000';
  const redis = await startBenchRedis();
  const results: Record<string, unknown> = { machine: machineInfo() };
  try {
    for (const size of [PROBLEM_NODES, ...SIZES.filter((s) => s !== PROBLEM_NODES)]) {
      const namespace = uniqueNamespace(`bench-rollout-${size}`);
      const admin = await startAdmin(redis, { redisConfig: { namespace } });
      await admin.app.init();
      const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
      await publisher.store.publish('bench', { apikey: 'stable', round: 0 });
      const nodes = await fleet(redis.url, namespace, size, admin);
      const http = () => request(admin.app.getHttpServer());
      const auth = admin.auth;
      const path = '/api/groups/bench/rollouts';
      try {
        if (SIZES.includes(size)) {
          const rounds: number[] = [];
          for (let round = 1; round <= VERIFY_ROUNDS; round++) {
            const started = performance.now();
            const response = await http()
              .post(path)
              .set('Authorization', auth)
              .send({ config: { apikey: `v-${round}` }, steps: [{ percent: 1, bakeMs: 600000 }] });
            rounds.push(performance.now() - started);
            if (response.status !== 201) throw new Error(`verify round: ${response.status}`);
            await http().post(`${path}/current/abort`).set('Authorization', auth).expect(200);
            await waitFor('back on stable', () => nodes.every((n) => !n.config.canary), 10_000);
          }
          results[`verify_${size}_ms`] = summarize(rounds);
          console.log(`verification round, ${size} holders (ms):`, summarize(rounds));
        }
        if (size === PROBLEM_NODES) {
          const rounds: number[] = [];
          for (let round = 1; round <= PROBLEM_ROUNDS; round++) {
            const response = await http()
              .post(path)
              .set('Authorization', auth)
              .send({
                config: { apikey: `bad-${round}` },
                steps: [{ percent: 50, bakeMs: 600000 }],
              });
            const canaryIds = (response.body as { canaryNodes: string[] }).canaryNodes;
            const canaries = nodes.filter((n) => canaryIds.includes(n.id));
            await waitFor(
              'canaries on the candidate',
              () => canaries.every((n) => n.config.canary),
              10_000,
            );
            const back = canaries.map(
              (n) =>
                new Promise<number>((resolve) => {
                  const stop = n.config.onChange(() => {
                    if (n.config.get('apikey') === 'stable') {
                      stop();
                      resolve(performance.now());
                    }
                  });
                }),
            );
            const reportedAt = performance.now();
            await canaries[0].config.reportProblem('bench: the key was refused');
            const times = await Promise.all(back);
            rounds.push(Math.max(...times) - reportedAt);
            await waitFor(
              'rolled back',
              async () =>
                (
                  (await http().get(`${path}/current`).set('Authorization', auth)).body as {
                    status: string;
                  }
                ).status === 'rolled-back',
              10_000,
            );
          }
          results[`problem_to_stable_${PROBLEM_NODES}_nodes_${PROBLEM_NODES / 2}_canaries_ms`] =
            summarize(rounds);
          console.log(
            `problem report → every canary on stable, ${PROBLEM_NODES / 2} canaries (ms):`,
            summarize(rounds),
          );
        }
      } finally {
        for (const node of nodes) await node.app.close();
        await publisher.app.close();
        await admin.app.close();
      }
    }
  } finally {
    await redis.dispose();
  }
  console.log(JSON.stringify(results, null, 2));
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
