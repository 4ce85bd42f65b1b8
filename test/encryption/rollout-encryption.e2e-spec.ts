import { INestApplicationContext } from '@nestjs/common';
import type Redis from 'ioredis';
import { ConfigGroupService } from '@rcc/redis-config';
import request from 'supertest';
import { authorizedApi, groupPath, startAdmin, TestAdmin } from '../admin/admin-app';
import { startNode } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { newEncryptionKey } from './encryption-keys';

const STABLE = 'sk-stable-secret-0001';
const CANDIDATE = 'sk-candidate-secret-0002';

/**
 * A rollout's candidate is a write like any other: with RCC_ENCRYPTION_KEY its secret values are
 * stored encrypted (the rollout key included, not only the groups hash), the canary decrypts it in
 * memory, a node without the key refuses to verify it, and the promoted version is encrypted too.
 */
describe('rollouts with encryption at rest (real redis-server)', () => {
  const key = newEncryptionKey();
  let redis: RedisServer;
  let client: Redis;
  let admin: TestAdmin;
  const apps: INestApplicationContext[] = [];
  const api = authorizedApi(() => admin);
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = redis.client();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await admin?.app.close();
    process.env = { ...savedEnv };
  });
  afterAll(async () => {
    client.disconnect();
    await redis.dispose();
  });

  /** `stable`: what team-a holds before the rollout (a node must be able to open it to hold it). */
  async function setUp(nodeKeys: (string[] | undefined)[], stable: Record<string, unknown>) {
    process.env.RCC_ROLLOUT_VERIFY_MS = '2000';
    process.env.RCC_ROLLOUT_TICK_MS = '50';
    const namespace = uniqueNamespace('rollout-enc');
    admin = await startAdmin(redis, {
      redisConfig: { namespace, encryptionKeys: [key.key] },
      settings: { secretKeys: '*apikey*' },
    });
    await admin.app.init();
    await api.put(groupPath('team-a')).send({ config: stable }).expect(200);
    const nodes: ConfigGroupService[] = [];
    for (const [index, encryptionKeys] of nodeKeys.entries()) {
      const { app, config } = await startNode({
        redis: { url: redis.url },
        namespace,
        nodeId: `node-${index + 1}`,
        group: 'team-a',
        refreshMs: 1000,
        encryptionKeys,
      });
      apps.push(app);
      nodes.push(config);
    }
    await waitFor(
      'every node a live holder of team-a',
      async () =>
        ((await api.get('/api/nodes')).body as { group: string | null }[]).filter(
          (node) => node.group === 'team-a',
        ).length === nodeKeys.length,
    );
    return { namespace, nodes };
  }

  it('stores the candidate encrypted, the canary serves it in clear, the promoted version stays encrypted', async () => {
    const { namespace, nodes } = await setUp([[key.key], [key.key]], { apikey: STABLE, qps: 1 });
    await api
      .post(`${groupPath('team-a')}/rollouts`)
      .send({ config: { apikey: CANDIDATE, qps: 2 }, steps: [{ percent: 50, bakeMs: 600_000 }] })
      .expect(201);
    await waitFor('one canary on the candidate', async () =>
      nodes.some((node) => node.get('apikey') === CANDIDATE),
    );
    const stored = await client.hgetall(`{${namespace}}:rollout:team-a`);
    expect(Object.keys(stored)).toContain('candidate');
    expect(JSON.stringify(stored)).not.toContain(CANDIDATE);
    expect(JSON.parse(stored.candidate)).toMatchObject({
      apikey: expect.stringMatching(/^rcc:enc:v1:/),
      qps: 2,
    });
    expect(nodes.filter((node) => node.get('apikey') === CANDIDATE)).toHaveLength(1);

    await api.post(`${groupPath('team-a')}/rollouts/current/promote`).expect(200);
    await waitFor('both nodes on the promoted version', async () =>
      nodes.every((node) => node.get('apikey') === CANDIDATE && node.get('qps') === 2),
    );
    const record = (await client.hget(namespace, 'team-a')) ?? '';
    expect(record).not.toContain(CANDIDATE);
    expect(JSON.parse(record)).toMatchObject({
      group_version: 1,
      config_dict: { apikey: expect.stringMatching(/^rcc:enc:v1:/), qps: 2 },
    });
  });

  it('is refused at verification by a node that cannot decrypt the candidate (422, nothing changed)', async () => {
    const { namespace } = await setUp([[key.key], [newEncryptionKey().key]], { qps: 1 });
    const before = await client.hget(namespace, 'team-a');
    const refused = await api
      .post(`${groupPath('team-a')}/rollouts`)
      .send({ config: { apikey: CANDIDATE, qps: 2 } })
      .expect(422);
    const problems = (refused.body as { problems: { nodeId: string; reason: string }[] }).problems;
    expect(problems).toEqual([
      { nodeId: 'node-2', reason: expect.stringContaining('cannot decrypt the candidate') },
    ]);
    expect(JSON.stringify(refused.body)).not.toContain(CANDIDATE);
    expect(await client.hget(namespace, 'team-a')).toBe(before);
    await request(admin.app.getHttpServer()).get('/health').expect(200);
  });
});
