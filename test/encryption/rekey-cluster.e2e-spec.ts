import { INestApplicationContext } from '@nestjs/common';
import { SecretDecryptionError } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { startPublisher } from '../helpers/config-node';
import { RedisCluster } from '../helpers/redis-cluster';
import { uniqueNamespace } from '../helpers/redis-server';
import { newEncryptionKey } from './encryption-keys';

/**
 * `ConfigGroupStore.rekey()` on a three-master Redis Cluster: WATCH and MULTI/EXEC reach the
 * master of the namespace's slot (every key of a namespace shares it, by the hash tag).
 */
describe('rekey on a Redis Cluster', () => {
  const oldKey = newEncryptionKey();
  const newKey = newEncryptionKey();
  let cluster: RedisCluster;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    cluster = await RedisCluster.start();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await cluster?.dispose();
  });

  async function publisher(namespace: string, keys: string[]): Promise<ConfigGroupStore> {
    const { app, store } = await startPublisher({
      redis: { clusterNodes: cluster.nodes },
      namespace,
      encryptionKeys: keys,
    });
    apps.push(app);
    return store;
  }

  it('re-encrypts all-or-nothing, and refuses with a value no key opens', async () => {
    const namespace = uniqueNamespace('rekey-cluster');
    const old = await publisher(namespace, [oldKey.key]);
    await old.publish('a', { api_key: 'sk-a' });
    await old.publish('b', { db_password: 'pw-b' });
    const rotating = await publisher(namespace, [newKey.key, oldKey.key]);
    const result = await rotating.rekey({ author: 'test' });
    expect(result).toMatchObject({ applied: true, keyId: newKey.id, checked: 2 });
    const fresh = await publisher(namespace, [newKey.key]);
    expect((await fresh.get('a'))?.config).toEqual({ api_key: 'sk-a' });
    expect(await fresh.get('b')).toMatchObject({ version: 1, config: { db_password: 'pw-b' } });

    await (await publisher(namespace, [newEncryptionKey().key])).publish('c', { token: 't' });
    const before = await fresh.history('a');
    await expect(rotating.rekey()).rejects.toThrow(SecretDecryptionError);
    expect(await fresh.history('a')).toEqual(before);
  });
});
