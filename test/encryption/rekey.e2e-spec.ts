import { INestApplicationContext } from '@nestjs/common';
import type Redis from 'ioredis';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { RolloutStore } from '@rcc/redis-config/store/rollout-store';
import { rolloutStateOf } from '../helpers/rollout-state';
import { builtEntry } from '../blackbox/built-app';
import { runCli } from '../cli/run-cli';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { newEncryptionKey } from './encryption-keys';

/**
 * `rcc rekey` (the built CLI): every secret value of a namespace, current and kept history,
 * encrypted again with the first key of RCC_ENCRYPTION_KEY; changed groups get version + 1 so
 * that nodes take them; one value no key opens and nothing at all is written.
 */
describe('rcc rekey (built CLI, real redis-server)', () => {
  const oldKey = newEncryptionKey();
  const newKey = newEncryptionKey();
  let redis: RedisServer;
  let client: Redis;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    builtEntry('cli');
    redis = await RedisServer.start();
    client = redis.client();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    client.disconnect();
    await redis.dispose();
  });

  async function publisher(namespace: string, keys?: string[]): Promise<ConfigGroupStore> {
    const { app, store } = await startPublisher({
      redis: { url: redis.url },
      namespace,
      encryptionKeys: keys,
    });
    apps.push(app);
    return store;
  }

  function rekey(namespace: string, keys: string, ...args: string[]) {
    return runCli(['rekey', ...args], {
      env: { REDIS_URL: redis.url, RCC_NAMESPACE: namespace, RCC_ENCRYPTION_KEY: keys },
    });
  }

  /** A key's content, whatever its type. */
  async function dumpKey(key: string): Promise<unknown> {
    switch (await client.type(key)) {
      case 'hash':
        return client.hgetall(key);
      case 'list':
        return client.lrange(key, 0, -1);
      case 'set':
        return client.smembers(key);
      case 'zset':
        return client.zrange(key, 0, -1, 'WITHSCORES');
      case 'string':
        return client.get(key);
      default:
        return null;
    }
  }

  /** Every stored byte of the namespace: the hash and each history list. */
  async function dump(namespace: string): Promise<Record<string, unknown>> {
    const groups = await client.hgetall(namespace);
    const histories: Record<string, string[]> = {};
    for (const name of Object.keys(groups)) {
      histories[name] = await client.lrange(`{${namespace}}:history:${name}`, 0, -1);
    }
    return { groups, histories };
  }

  /** Two groups under the old key (one with history), one written before encryption was on. */
  async function seed(namespace: string): Promise<void> {
    const old = await publisher(namespace, [oldKey.key]);
    await old.publish('alpha', { api_key: 'sk-alpha-1', timeout: 1 });
    await old.publish('alpha', { api_key: 'sk-alpha-2', timeout: 2 });
    await old.publish('beta', { db_password: 'pw-beta', region: 'eu' });
    const clear = await publisher(namespace);
    await clear.publish('gamma', { token: 'tok-gamma', plain: true });
  }

  it('re-encrypts every group and its history with the new key; nodes take the new version', async () => {
    const namespace = uniqueNamespace('rekey');
    await seed(namespace);
    const { app, config } = await startNode({
      redis: { url: redis.url },
      namespace,
      group: 'alpha',
      refreshMs: 60_000,
      encryptionKeys: [newKey.key, oldKey.key],
    });
    apps.push(app);
    expect(config.getConfigGroup()).toMatchObject({
      version: 1,
      config: { api_key: 'sk-alpha-2' },
    });

    const before = await dump(namespace);
    const dry = await rekey(namespace, `${newKey.key},${oldKey.key}`, '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(await dump(namespace)).toEqual(before);
    const plan = JSON.parse(dry.stdout) as { dryRun: boolean; keyId: string; groups: unknown[] };
    expect(plan).toMatchObject({ dryRun: true, applied: false, keyId: newKey.id, checked: 3 });
    expect(plan.groups).toEqual([
      { name: 'alpha', version: 1, newVersion: 2, values: 1, historyEntries: 2 },
      { name: 'beta', version: 0, newVersion: 1, values: 1, historyEntries: 1 },
      { name: 'gamma', version: 0, newVersion: 1, values: 1, historyEntries: 1 },
    ]);

    const run = await rekey(namespace, `${newKey.key},${oldKey.key}`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`with key id "${newKey.id}": 3 of 3 group(s) re-encrypted`);
    for (const secret of ['sk-alpha', 'pw-beta', 'tok-gamma']) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
    const after = JSON.stringify(await dump(namespace));
    expect(after).not.toContain(`rcc:enc:v1:${oldKey.id}:`);
    for (const secret of ['sk-alpha', 'pw-beta', 'tok-gamma']) expect(after).not.toContain(secret);

    // The old key can go: a publisher with the new key alone reads everything, history included.
    const fresh = await publisher(namespace, [newKey.key]);
    expect(await fresh.get('alpha')).toMatchObject({
      version: 2,
      comment: 'rekey',
      config: { api_key: 'sk-alpha-2', timeout: 2 },
    });
    const history = await fresh.history('alpha');
    expect(history.map((entry) => [entry.version, entry.config.api_key])).toEqual([
      [2, 'sk-alpha-2'],
      [1, 'sk-alpha-2'],
      [0, 'sk-alpha-1'],
    ]);
    expect((await fresh.get('gamma'))?.config).toEqual({ token: 'tok-gamma', plain: true });
    await waitFor('the node at the rekeyed version', () => config.getConfigGroup()?.version === 2);
    expect(config.get('api_key')).toBe('sk-alpha-2');

    // Nothing left to do: a second run changes nothing.
    const again = await rekey(namespace, newKey.key, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: false, groups: [] });
  });

  it("re-encrypts a rollout's candidate too: no secret is left in clear in the namespace", async () => {
    // Issue 23 #6: a candidate stored before encryption was turned on stayed in clear after rekey.
    const namespace = uniqueNamespace('rekey-rollout');
    const clear = await publisher(namespace);
    await clear.publish('delta', { api_key: 'sk-delta-stable', region: 'eu' });
    const { app } = await startPublisher({ redis: { url: redis.url }, namespace });
    apps.push(app);
    const candidate = { api_key: 'sk-delta-candidate', region: 'us' };
    await app.get(RolloutStore).begin({ ...rolloutStateOf('r-delta'), group: 'delta' }, candidate);
    const rolloutKey = `{${namespace}}:rollout:delta`;
    expect(await client.hget(rolloutKey, 'candidate')).toContain('sk-delta-candidate');

    const run = await rekey(namespace, newKey.key, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ applied: true, rolloutCandidates: ['delta'] });
    const stored = JSON.parse((await client.hget(rolloutKey, 'candidate')) ?? '{}') as {
      api_key: string;
      region: string;
    };
    expect(stored.region).toBe('us');
    expect(stored.api_key).not.toContain('sk-delta-candidate');
    // Nowhere in the namespace's keys is a secret left in clear.
    for (const key of [namespace, ...(await client.keys(`{${namespace}}:*`))]) {
      expect(JSON.stringify(await dumpKey(key))).not.toMatch(/sk-delta-/);
    }
    // And the new key opens it: the publisher reads the candidate back in clear.
    const reader = await startPublisher({
      redis: { url: redis.url },
      namespace,
      encryptionKeys: [newKey.key],
    });
    apps.push(reader.app);
    expect((await reader.app.get(RolloutStore).read('delta'))?.candidate).toEqual(candidate);
  });

  it('writes nothing when one value cannot be decrypted, naming group, key and key id', async () => {
    const namespace = uniqueNamespace('rekey-fail');
    await seed(namespace);
    const stranger = newEncryptionKey();
    await (await publisher(namespace, [stranger.key])).publish('zeta', { secret_value: 'sv-zeta' });
    const before = await dump(namespace);

    const run = await rekey(namespace, `${newKey.key},${oldKey.key}`);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Group "zeta" version 0 key "secret_value"');
    expect(run.stderr).toContain(`key id "${stranger.id}"`);
    expect(run.stderr).toContain('nothing was written');
    expect(run.stderr).not.toContain('sv-zeta');
    expect(await dump(namespace)).toEqual(before);
  });

  it('refuses to run without RCC_ENCRYPTION_KEY, or with a bad one, before touching Redis', async () => {
    const namespace = uniqueNamespace('rekey-nokey');
    const none = await rekey(namespace, '');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('rekey needs RCC_ENCRYPTION_KEY');
    const short = Buffer.alloc(16, 7).toString('base64');
    const bad = await rekey(namespace, short);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('RCC_ENCRYPTION_KEY: the key must be 32 bytes');
    expect(bad.stderr).not.toContain(short);
  });
});
