import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { ConfigChangeEvent, ConfigGroupService, RedisConfigModuleOptions } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { newEncryptionKey } from './encryption-keys';

const SECRET = 'sk-node-side-secret-0042';

/**
 * A node decrypts in memory, and refuses (keeping its last good config, through the rejection
 * path `validate` uses) every version it cannot decrypt: no key, an unknown key id, a different
 * key under the same id, a tampered value, a value moved to another key. Shared groups too; the
 * snapshot stays encrypted and opens only with the key.
 */
describe('nodes and encrypted values (real redis-server)', () => {
  const current = newEncryptionKey();
  let redis: RedisServer;
  let client: Redis;
  let dir: string;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    // Append-only: the data outlives the kill of the snapshot test.
    redis = await RedisServer.start({ appendOnly: true });
    client = redis.client();
    dir = mkdtempSync(join(tmpdir(), 'rcc-enc-node-'));
  });
  afterEach(async () => {
    if (!redis.running) await redis.restart();
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    client.disconnect();
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function publisher(namespace: string, keys: string[] = [current.key]) {
    const { app, store } = await startPublisher({
      redis: { url: redis.url },
      namespace,
      encryptionKeys: keys,
    });
    apps.push(app);
    return store;
  }

  async function node(
    namespace: string,
    options: RedisConfigModuleOptions = {},
  ): Promise<{ config: ConfigGroupService; events: ConfigChangeEvent[] }> {
    const { app, config } = await startNode({
      redis: { url: redis.url },
      namespace,
      group: 'own',
      refreshMs: 60_000,
      nodeId: `node-${Math.random()}`,
      ...options,
    });
    apps.push(app);
    const events: ConfigChangeEvent[] = [];
    config.onChange((event) => events.push(event));
    return { config, events };
  }

  const rejectionOf = (events: ConfigChangeEvent[], version: number) => () =>
    events.find((event) => event.reason === 'rejected' && event.rejected?.version === version);

  /** Writes a stored record as another writer would (no notification): the node's refresh finds it. */
  async function rewrite(
    namespace: string,
    store: ConfigGroupStore,
    change: (config: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<number> {
    const record = JSON.parse((await client.hget(namespace, 'own'))!) as {
      group_version: number;
      config_dict: Record<string, unknown>;
    };
    const version = record.group_version + 1;
    await client.hset(
      namespace,
      'own',
      JSON.stringify({
        ...record,
        group_version: version,
        config_dict: change(record.config_dict),
      }),
    );
    void store;
    return version;
  }

  it('decrypts with the key; get() returns the clear value', async () => {
    const namespace = uniqueNamespace('enc-node');
    const store = await publisher(namespace);
    await store.publish('own', { api_key: SECRET, timeout: 1 });
    expect(await client.hget(namespace, 'own')).not.toContain(SECRET);
    const { config } = await node(namespace, { encryptionKeys: [current.key] });
    expect(config.get('api_key')).toBe(SECRET);
    expect(config.getConfigGroup()).toMatchObject({ version: 0, config: { api_key: SECRET } });
  });

  it.each([
    ['no key', () => ({}), /RCC_ENCRYPTION_KEY is not set here/],
    [
      'another key',
      () => ({ encryptionKeys: [newEncryptionKey().key] }),
      /a key that RCC_ENCRYPTION_KEY does not hold/,
    ],
    [
      'another key under the same id',
      () => ({ encryptionKeys: [`${current.id}=${newEncryptionKey().key}`] }),
      /does not authenticate/,
    ],
  ])(
    'with %s, keeps its last good config and emits a rejection naming key and key id',
    async (_what, options, reason) => {
      const namespace = uniqueNamespace('enc-refuse');
      const store = await publisher(namespace);
      await store.publish('own', { timeout: 1 });
      const { config, events } = await node(namespace, options());
      await store.publish('own', { timeout: 2, api_key: SECRET });
      const rejected = (await waitFor(
        'the rejection of version 1',
        rejectionOf(events, 1),
        10_000,
      ))!;
      expect(rejected.rejected?.name).toBe('own');
      expect(rejected.rejected?.error).toContain('"api_key"');
      expect(rejected.rejected?.error).toContain(`key id "${current.id}"`);
      expect(rejected.rejected?.error).toMatch(reason);
      expect(rejected.rejected?.error).not.toContain(SECRET);
      expect(config.getConfigGroup()).toMatchObject({ version: 0, config: { timeout: 1 } });
      expect(config.get('api_key', null)).toBeNull();
    },
  );

  it('refuses a tampered value and a value moved under another key, and takes a good one after', async () => {
    const namespace = uniqueNamespace('enc-tamper');
    const store = await publisher(namespace);
    await store.publish('own', { api_key: SECRET, db_password: 'pw-1' });
    const { config, events } = await node(namespace, { encryptionKeys: [current.key] });
    expect(config.get('db_password')).toBe('pw-1');

    const tampered = await rewrite(namespace, store, (dict) => {
      const sealed = String(dict.api_key);
      // One base64 character inside the tag: 6 bits of it change, never only padding bits.
      const at = sealed.lastIndexOf(':') + 20;
      const other = sealed[at] === 'A' ? 'B' : 'A';
      return { ...dict, api_key: `${sealed.slice(0, at)}${other}${sealed.slice(at + 1)}` };
    });
    await config.refresh();
    const first = (await waitFor('the tampered version refused', rejectionOf(events, tampered)))!;
    expect(first.rejected?.error).toMatch(/"api_key".*does not authenticate/);

    const moved = await rewrite(namespace, store, (dict) => ({
      ...dict,
      api_key: dict.db_password,
    }));
    await config.refresh();
    const second = (await waitFor('the moved value refused', rejectionOf(events, moved)))!;
    expect(second.rejected?.error).toMatch(/"api_key".*does not authenticate/);
    expect(config.get('api_key')).toBe(SECRET);

    await store.publish('own', { api_key: 'sk-next', db_password: 'pw-2' });
    await waitFor('the next good version', () => config.get('api_key') === 'sk-next');
  });

  it('refuses a shared group it cannot decrypt, keeping its last good layer', async () => {
    const namespace = uniqueNamespace('enc-shared');
    const store = await publisher(namespace);
    await store.publish('common', { region: 'eu' });
    await store.publish('own', { timeout: 1 });
    const { config, events } = await node(namespace, { sharedGroups: ['common'] });
    expect(config.get('region')).toBe('eu');
    await store.publish('common', { region: 'us', shared_token: SECRET });
    const rejected = (await waitFor('the shared group refused', rejectionOf(events, 1), 10_000))!;
    expect(rejected.source).toMatchObject({ name: 'common', shared: true });
    expect(rejected.rejected?.error).toContain('"shared_token"');
    expect(config.get('region')).toBe('eu');
  });

  // Without the key, a node does not start on such a snapshot: see snapshot-keeper.spec.ts.
  it('keeps secrets encrypted in the snapshot, and starts on it with the key', async () => {
    const namespace = uniqueNamespace('enc-snapshot');
    const snapshotPath = join(dir, `${namespace}.json`);
    // `service_credential` is no secret by the node's globs: a publisher whose RCC_SECRET_KEYS
    // named it encrypted it, and the node's snapshot keeps it encrypted too.
    const { app, store: wider } = await startPublisher({
      redis: { url: redis.url },
      namespace,
      encryptionKeys: [current.key],
      secretKeys: '*api_key*,*credential*',
    });
    apps.push(app);
    await wider.publish('own', {
      api_key: SECRET,
      service_credential: 'cred-XYZ-0001',
      timeout: 3,
    });
    const first = await node(namespace, { encryptionKeys: [current.key], snapshotPath });
    expect(first.config.get('api_key')).toBe(SECRET);
    const snapshot = await waitFor('the snapshot', () => {
      try {
        return readFileSync(snapshotPath, 'utf8');
      } catch {
        return null;
      }
    });
    expect(first.config.get('service_credential')).toBe('cred-XYZ-0001');
    expect(snapshot).not.toContain(SECRET);
    expect(snapshot).not.toContain('cred-XYZ-0001');
    expect(snapshot).toContain(`"api_key":"rcc:enc:v1:${current.id}:`);
    await Promise.all(apps.splice(0).map((app) => app.close()));

    // Redis down: the node starts on its snapshot, decrypted with the key...
    await redis.kill();
    const offline = { startupTimeoutMs: 300, snapshotPath };
    const withKey = await node(namespace, { ...offline, encryptionKeys: [current.key] });
    expect(withKey.config.get('api_key')).toBe(SECRET);
    expect(withKey.config.get('service_credential')).toBe('cred-XYZ-0001');
    // Back on Redis, the keyed node takes the next version.
    await redis.restart();
    await (await publisher(namespace)).publish('own', { api_key: 'sk-after', timeout: 4 });
    await waitFor('the next version', () => withKey.config.get('api_key') === 'sk-after', 10_000);
  });
});
