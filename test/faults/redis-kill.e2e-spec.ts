import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupService } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import type { Server } from 'node:http';
import request from 'supertest';
import { startAdmin, TestAdmin } from '../admin/admin-app';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

/**
 * How long Redis stays down: the fault injected, long enough for every client to fail and retry
 * several times (ioredis backs off 50 ms more per attempt, up to 2 s).
 */
const OUTAGE_MS = Number(process.env.RCC_OUTAGE_MS ?? 3000);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A write loop that records what was acknowledged and how often it was refused. */
class WriteStream {
  readonly acknowledged: { version: number; seq: number; at: number }[] = [];
  readonly refusals: { at: number; status: number | string }[] = [];
  private running = true;
  private held = false;
  /** True while the loop is held and no write of it is in flight. */
  private parked = false;
  private readonly loop: Promise<void>;

  constructor(write: (seq: number) => Promise<{ version: number } | { status: number }>) {
    this.loop = (async () => {
      for (let seq = 1; this.running; seq++) {
        if (this.held) {
          this.parked = true;
          await pause(5);
          continue;
        }
        this.parked = false;
        try {
          const result = await write(seq);
          if ('version' in result) this.acknowledged.push({ ...result, seq, at: Date.now() });
          else this.refusals.push({ at: Date.now(), status: result.status });
        } catch (error) {
          this.refusals.push({ at: Date.now(), status: (error as Error).name });
        }
        await pause(this.refusals.length ? 20 : 5);
      }
    })();
  }

  /** Stops after the write in flight (so nothing is written behind the test's back). */
  async hold(): Promise<void> {
    this.held = true;
    // The barrier: the loop itself says the write in flight has ended (no fixed wait).
    await waitFor('the write in flight to end', () => this.parked, 10_000, 2);
  }

  release(): void {
    this.held = false;
    this.parked = false;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

describe('Redis SIGKILLed (AOF on) under nodes, a publisher and the admin', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let http: Server;
  let store: ConfigGroupStore;
  const apps: INestApplicationContext[] = [];
  const pinned: ConfigGroupService[] = [];
  const pooled: ConfigGroupService[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start({ appendOnly: true });
    admin = await startAdmin(redis, {
      settings: { writeRateLimit: 0 },
      redisConfig: { historyLimit: 5000 },
    });
    http = admin.app.getHttpServer();
    const common = { redis: { url: redis.url }, namespace: admin.namespace };
    const publisher = await startPublisher({ ...common, historyLimit: 5000 });
    apps.push(publisher.app);
    store = publisher.store;
    await store.publish('g', { seq: 0 });
    for (const pool of ['pool-1', 'pool-2']) await store.publish(pool, { apikey: pool });
    // A refresh far longer than the test: after the restart only the reconnect catch-up works.
    for (let i = 0; i < 3; i++) {
      const node = await startNode({
        ...common,
        group: 'g',
        nodeId: `pinned-${i}`,
        refreshMs: 60_000,
      });
      apps.push(node.app);
      pinned.push(node.config);
    }
    for (let i = 0; i < 2; i++) {
      const node = await startNode({
        ...common,
        group: 'none',
        pool: 'pool-*',
        nodeId: `pooled-${i}`,
        refreshMs: 60_000,
      });
      apps.push(node.app);
      pooled.push(node.config);
    }
  }, 30_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await admin.app.close();
    await redis.dispose();
  });

  it('serves from memory, answers 503, loses no acknowledged write, and converges within a second', async () => {
    const publishes = new WriteStream(async (seq) => store.publish('g', { seq }));
    const adminWrites = new WriteStream(async (seq) => {
      const answer = await request(http)
        .put('/api/groups/a')
        .set('Authorization', admin.auth)
        .send({ config: { seq } });
      return answer.status === 200 ? { version: answer.body.version as number } : answer;
    });
    await waitFor(
      'writes before the crash',
      () => [publishes, adminWrites].every((s) => s.acknowledged.length >= 30),
      10_000,
    );

    // A write with no event (as the old Python nodes make): only the catch-up can bring it.
    await publishes.hold();
    const last = publishes.acknowledged.at(-1) as { version: number; seq: number };
    await waitFor('nodes to apply the last publish', () =>
      pinned.every((node) => node.get('seq') === last.seq),
    );
    const raw = redis.client();
    await raw.hset(
      admin.namespace,
      'g',
      JSON.stringify({
        group_name: 'g',
        group_version: last.version + 1,
        config_dict: { seq: 'marker' },
      }),
    );
    raw.disconnect();

    await redis.kill();
    const killedAt = Date.now();
    publishes.release();
    // The outage: every node read answers from memory, the last good value, and never throws.
    let reads = 0;
    let readErrors = 0;
    const seen = new Set<unknown>();
    const reader = setInterval(() => {
      for (const node of [...pinned, ...pooled]) {
        try {
          seen.add(`${node.nodeId}=${JSON.stringify(node.get('seq') ?? node.get('apikey'))}`);
          reads++;
        } catch {
          readErrors++;
        }
      }
    }, 5);
    await waitFor(
      `an outage of ${OUTAGE_MS} ms with refused writes`,
      () =>
        Date.now() - killedAt >= OUTAGE_MS &&
        publishes.refusals.length >= 10 &&
        adminWrites.refusals.length >= 10,
      OUTAGE_MS + 10_000,
    );
    const health = await request(http).get('/health');
    clearInterval(reader);
    await Promise.all([publishes.stop(), adminWrites.stop()]);
    const outageMs = Date.now() - killedAt;

    expect(readErrors).toBe(0);
    expect(reads).toBeGreaterThan(100);
    expect(seen.size).toBe(pinned.length + pooled.length); // one value per node, all along
    for (const node of pinned) expect(node.get('seq')).toBe(last.seq);
    expect(health.status).toBe(503);
    // The admin answers 503, never a 500, for every write refused during the outage.
    expect(new Set(adminWrites.refusals.map((r) => r.status))).toEqual(new Set([503]));
    expect(adminWrites.acknowledged.filter((a) => a.at > killedAt + 100)).toEqual([]);

    await redis.restart();
    const answeredAt = Date.now();
    const converged = await Promise.all(
      pinned.map((node) =>
        waitFor('the node to catch up', () => node.get('seq') === 'marker', 10_000, 2).then(
          () => Date.now() - answeredAt,
        ),
      ),
    );
    const adminBack = await waitFor(
      'the admin to accept writes again',
      async () => {
        const answer = await request(http)
          .put('/api/groups/a')
          .set('Authorization', admin.auth)
          .send({ config: { seq: 'after' } });
        expect([200, 503]).toContain(answer.status);
        return answer.status === 200 ? Date.now() - answeredAt : 0;
      },
      10_000,
      20,
    );

    // AOF with fsync always: every acknowledged write survived the crash.
    for (const [group, stream] of [
      ['g', publishes],
      ['a', adminWrites],
    ] as const) {
      const history = await store.history(group);
      const kept = new Map(history.map((entry) => [entry.version, entry.config.seq]));
      const lost = stream.acknowledged.filter((ack) => kept.get(ack.version) !== ack.seq);
      expect([group, lost]).toEqual([group, []]);
    }
    expect((await store.get('g'))?.config).toEqual({ seq: 'marker' });
    for (const node of pooled) expect(node.getConfigGroup()?.name).toMatch(/^pool-[12]$/);
    // Pushes flow again: with a 60 s refresh only the restored subscription can explain this.
    await store.publish('g', { seq: 'pushed' });
    await waitFor(
      'the nodes to receive a push again',
      () => pinned.every((node) => node.get('seq') === 'pushed'),
      5000,
    );

    process.stdout.write(
      `redis SIGKILL: outage ${outageMs} ms; acknowledged ${publishes.acknowledged.length} ` +
        `publishes + ${adminWrites.acknowledged.length} admin writes, all kept; refused during ` +
        `the outage ${publishes.refusals.length} + ${adminWrites.refusals.length} (admin: all 503); ` +
        `${reads} node reads, 0 errors; nodes caught up ${converged.join(' / ')} ms after Redis ` +
        `answered; admin writes again after ${adminBack} ms\n`,
    );
    expect(Math.max(...converged)).toBeLessThan(1000);
  }, 60_000);
});
