import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigGroupService, RedisConfigModuleOptions } from '@rcc/redis-config';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

describe('shared groups across Redis outages: snapshot start and reconnect (real redis-server)', () => {
  let redis: RedisServer;
  let dir: string;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start({ appendOnly: true });
    dir = mkdtempSync(join(tmpdir(), 'rcc-shared-snapshot-'));
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    if (!redis.running) await redis.restart();
  });
  afterAll(async () => {
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function node(options: RedisConfigModuleOptions): Promise<ConfigGroupService> {
    const { app, config } = await startNode({
      redis: { url: redis.url },
      refreshMs: 60_000, // only the snapshot and the reconnect can bring what is asserted
      leaseMs: 180_000, // (the periodic check rides on the heartbeat: every min(lease / 3, refresh))
      nodeId: 'n1',
      group: 'own',
      ...options,
    });
    apps.push(app);
    return config;
  }

  /** Redis returns: a shared group published now reaches the node started without it. */
  async function backOnline(namespace: string, config: ConfigGroupService): Promise<void> {
    await redis.restart();
    const { app, store } = await startPublisher({ redis: { url: redis.url }, namespace });
    try {
      await store.publish('common', { timeout_ms: 42 });
      await waitFor('the node back on Redis', () => config.get('timeout_ms') === 42, 10_000);
    } finally {
      await app.close();
    }
  }

  async function seed(namespace: string): Promise<void> {
    const { app, store } = await startPublisher({ redis: { url: redis.url }, namespace });
    try {
      await store.publish('common', { timeout_ms: 3000, region: 'eu' });
      await store.publish('own', { apikey: 'k1', region: 'us' });
    } finally {
      await app.close();
    }
  }

  it('starts on every source of its snapshot with Redis down', async () => {
    const namespace = uniqueNamespace('shared-snapshot');
    const snapshotPath = join(dir, 'node.json');
    await seed(namespace);
    await node({ namespace, snapshotPath, sharedGroups: ['common'] });
    await waitFor('the snapshot of both sources', () => {
      const saved = JSON.parse(readFileSync(snapshotPath, 'utf8')) as { shared?: unknown[] };
      return saved.shared?.length === 1;
    });
    await Promise.all(apps.splice(0).map((app) => app.close()));

    await redis.kill();
    const config = await node({
      namespace,
      snapshotPath,
      sharedGroups: ['common'],
      startupTimeoutMs: 20_000,
    });
    expect(config.getConfigGroup()).toEqual({
      name: 'own',
      version: 0,
      config: { apikey: 'k1', region: 'us' },
    });
    expect(config.get('timeout_ms')).toBe(3000);
    expect(config.get('region')).toBe('us');
    expect(config.getSources()).toEqual([
      { name: 'common', version: 0, shared: true },
      { name: 'own', version: 0, shared: false },
    ]);
    await backOnline(namespace, config);
  });

  it('still reads a snapshot file written before shared groups', async () => {
    const namespace = uniqueNamespace('old-snapshot');
    const snapshotPath = join(dir, 'old.json');
    writeFileSync(
      snapshotPath,
      JSON.stringify({
        group_name: 'own',
        group_version: 4,
        config_dict: { apikey: 'old' },
        saved_at: new Date().toISOString(),
      }),
    );
    await redis.kill();
    const config = await node({ namespace, snapshotPath, sharedGroups: ['common'] });
    expect(config.get('apikey')).toBe('old');
    expect(config.getSources()).toEqual([
      { name: 'common', version: null, shared: true },
      { name: 'own', version: 4, shared: false },
    ]);
    await backOnline(namespace, config);
  });

  it('catches up with a shared group written while it was cut off, after the reconnect', async () => {
    const namespace = uniqueNamespace('shared-reconnect');
    await seed(namespace);
    const raw = redis.client();
    try {
      // The node logs in as its own ACL user: switching it off cuts the node off for sure.
      await raw.call('ACL', 'SETUSER', 'node', 'on', '>node-pw', '~*', '&*', '+@all');
      const url = `redis://node:node-pw@127.0.0.1:${redis.port}`;
      const config = await node({ namespace, sharedGroups: ['common'], redis: { url } });
      expect(config.get('timeout_ms')).toBe(3000);
      await raw.call('ACL', 'SETUSER', 'node', 'off');
      await raw.call('CLIENT', 'KILL', 'USER', 'node');
      // Written while the node cannot log in: no event reaches it, the refresh is a minute away.
      await raw.hset(
        namespace,
        'common',
        JSON.stringify({ group_name: 'common', group_version: 9, config_dict: { timeout_ms: 1 } }),
      );
      await raw.call('ACL', 'SETUSER', 'node', 'on');
      await waitFor(
        'the shared group after the reconnect',
        () => config.get('timeout_ms') === 1,
        10_000,
      );
      expect(config.getSources()[0]).toEqual({ name: 'common', version: 9, shared: true });
    } finally {
      raw.disconnect();
    }
  });
});
