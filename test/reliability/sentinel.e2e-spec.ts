import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupService } from '@rcc/redis-config';
import { ConfigGroupStore, resolveOptions } from '@rcc/redis-config/publisher';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisSentinelGroup, SENTINEL_MASTER_NAME } from '../helpers/redis-sentinel';
import { uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

describe('through Sentinel: master killed during a stream of publishes', () => {
  let sentinel: RedisSentinelGroup;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    sentinel = await RedisSentinelGroup.start();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await sentinel?.dispose();
  });

  it('keeps nodes serving, resumes writes after failover, and loses no acknowledged write', async () => {
    const namespace = uniqueNamespace('sentinel');
    const { redis } = resolveOptions(
      {},
      { REDIS_SENTINELS: sentinel.sentinelsEnv, REDIS_SENTINEL_NAME: SENTINEL_MASTER_NAME },
    );
    expect(redis.kind).toBe('sentinel');
    const connection = redis.kind === 'sentinel' ? redis.options : {};
    const publisher = await startPublisher({ redis: connection, namespace });
    apps.push(publisher.app);
    const store: ConfigGroupStore = publisher.store;
    await store.publish('g', { seq: 0 });
    const nodes: ConfigGroupService[] = [];
    for (const nodeId of ['s1', 's2']) {
      const node = await startNode({
        redis: connection,
        namespace,
        group: 'g',
        nodeId,
        refreshMs: 200,
      });
      apps.push(node.app);
      nodes.push(node.config);
    }

    const acknowledged: number[] = [];
    let failures = 0;
    let stop = false;
    const stream = (async () => {
      for (let seq = 1; !stop && seq < 10_000; seq++) {
        try {
          const record = await store.publish('g', { seq });
          acknowledged.push(record.config.seq as number);
        } catch {
          failures++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    })();

    await waitFor('some writes before the crash', () => acknowledged.length >= 20, 10_000);
    const oldMaster = sentinel.master.port;
    await sentinel.master.kill();
    const servedDuringOutage = nodes.map((n) => n.get('seq'));
    expect(servedDuringOutage.every((v) => typeof v === 'number')).toBe(true);

    await waitFor(
      'the sentinels to promote the replica',
      async () => (await sentinel.masterPort()) !== oldMaster,
      20_000,
    );
    const beforeResume = acknowledged.length;
    await waitFor(
      'writes to resume after failover',
      () => acknowledged.length >= beforeResume + 20,
      20_000,
    );
    stop = true;
    await stream;

    // Every acknowledged write is in the new master's history (newest first) or is the current value.
    const history = await store.history('g');
    const present = new Set(history.map((h) => h.config.seq as number));
    const current = (await store.get('g'))?.config.seq as number;
    const lost = acknowledged.filter(
      (seq) => !present.has(seq) && seq !== current && seq > current - 50,
    );
    expect(lost).toEqual([]);
    expect(current).toBe(acknowledged[acknowledged.length - 1]);
    await waitFor(
      'nodes to converge on the last write',
      () => nodes.every((n) => n.get('seq') === current),
      5000,
    );
    process.stdout.write(
      `sentinel failover: ${acknowledged.length} acknowledged writes, ${failures} refused during failover\n`,
    );
  }, 60_000);
});
