import type { INestApplicationContext } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import type { ConfigGroupService } from '@rcc/redis-config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { firstValueFrom } from 'rxjs';
import request from 'supertest';
import { AdminPatterns, patternChannel } from '../../apps/admin/src/rpc/admin-patterns';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { startAdmin, TEST_TOKEN, TestAdmin } from './admin-app';

/**
 * The Redis ACLs of docs/SECURITY.md, exactly as written there (its `ACL SETUSER` lines, with this
 * test's namespace and passwords): the admin service (message patterns on) as the admin user, a
 * `ConfigGroupStore` as the publisher user, a library node as the node user, against a real
 * Redis 7; each works, and each is refused what it must not do.
 */
jest.setTimeout(60_000);

const DOC_NAMESPACE = 'rcc::config::redis_config_center';
const PASSWORDS = {
  NODE_PASSWORD: 'node-pass-0123456789',
  PUBLISHER_PASSWORD: 'pub-pass-0123456789',
  ADMIN_PASSWORD: 'admin-pass-0123456789',
};

/** The `ACL SETUSER` lines of the document, as arguments, for `namespace`. */
function documentedAcl(namespace: string): string[][] {
  const text = readFileSync(join(__dirname, '..', '..', 'docs', 'SECURITY.md'), 'utf8');
  const lines = text.split('\n').filter((line) => line.startsWith('ACL SETUSER '));
  return lines.map((line) =>
    line
      .split(/\s+/)
      .filter(Boolean)
      .map((arg) =>
        Object.entries(PASSWORDS).reduce(
          (value, [name, password]) => value.replace(name, password),
          arg.split(DOC_NAMESPACE).join(namespace),
        ),
      ),
  );
}

describe('Redis ACLs of docs/SECURITY.md (real Redis 7, real admin and node)', () => {
  let redis: RedisServer;
  let root: Redis;
  let namespace: string;
  let admin: TestAdmin;
  let node: { app: INestApplicationContext; config: ConfigGroupService };
  let asNode: Redis;
  let asPublisher: Redis;
  let publisher: INestApplicationContext;
  let caller: ClientProxy;

  const url = (user: string, password: string) =>
    redis.url.replace('redis://', `redis://${user}:${password}@`);
  const api = () => request(admin.app.getHttpServer());

  beforeAll(async () => {
    redis = await RedisServer.start();
    root = redis.client();
    namespace = uniqueNamespace('acl');
    const lines = documentedAcl(namespace);
    expect(lines.map((line) => line[2])).toEqual(['rcc-node', 'rcc-publisher', 'rcc-admin']);
    for (const [, ...args] of lines) await root.call('ACL', ...args);
    admin = await startAdmin(redis, {
      settings: { microservice: true },
      redisConfig: {
        namespace,
        redis: { url: url('rcc-admin', PASSWORDS.ADMIN_PASSWORD) },
      },
    });
    await admin.app.init();
    const created = await api()
      .post('/api/groups')
      .set('Authorization', `Bearer ${TEST_TOKEN}`)
      .send({ name: 'acl-group', config: { apikey: 'first-key-0123456789', n: 1 } });
    expect(created.status).toBe(201);
    node = await startNode({
      redis: { url: url('rcc-node', PASSWORDS.NODE_PASSWORD) },
      namespace,
      group: 'acl-group',
      eventInlineMaxBytes: 0,
    });
    asNode = redis.client();
    await asNode.call('AUTH', 'rcc-node', PASSWORDS.NODE_PASSWORD);
    asPublisher = redis.client();
    await asPublisher.call('AUTH', 'rcc-publisher', PASSWORDS.PUBLISHER_PASSWORD);
  });

  afterAll(async () => {
    await caller?.close();
    await publisher?.close();
    await node?.app.close();
    await admin?.app.close();
    asNode?.disconnect();
    asPublisher?.disconnect();
    root?.disconnect();
    await redis?.dispose();
  });

  it('lets the node load its group, follow a publish and keep its lease', async () => {
    expect(node.config.get('n')).toBe(1);
    const published = await api()
      .put('/api/groups/acl-group')
      .set('Authorization', `Bearer ${TEST_TOKEN}`)
      .send({ config: { apikey: 'second-key-0123456789', n: 2 } });
    expect(published.status).toBe(200);
    await waitFor('the node to apply version 1', () => node.config.get('n') === 2);
    // Its heartbeat is in the leases the admin reads.
    await waitFor('the node in GET /api/nodes', async () => {
      const nodes = await api().get('/api/nodes').set('Authorization', `Bearer ${TEST_TOKEN}`);
      return (nodes.body as { group: string }[]).some((entry) => entry.group === 'acl-group');
    });
  });

  it('lets a publisher write with ConfigGroupStore, and the admin answer a message pattern', async () => {
    const started = await startPublisher({
      redis: { url: url('rcc-publisher', PASSWORDS.PUBLISHER_PASSWORD) },
      namespace,
    });
    publisher = started.app;
    await started.store.publish('acl-published', { region: 'eu' });
    // The admin, as rcc-admin, answers on its pattern channels (a caller of its own user).
    caller = ClientProxyFactory.create({
      transport: Transport.REDIS,
      options: { host: '127.0.0.1', port: redis.port },
    });
    await caller.connect();
    const listed = await firstValueFrom(
      caller.send(patternChannel(AdminPatterns.listGroups, namespace), { token: TEST_TOKEN }),
    );
    expect((listed as { name: string }[]).map((group) => group.name).sort()).toEqual([
      'acl-group',
      'acl-published',
    ]);
  });

  it('lets the admin (admin user) write its history, audit log and exports', async () => {
    const history = await api()
      .get('/api/groups/acl-group/history')
      .set('Authorization', `Bearer ${TEST_TOKEN}`);
    expect(history.status).toBe(200);
    expect(history.body).toHaveLength(2);
    await waitFor('the audit entries', async () => (await root.xlen(`{${namespace}}:audit`)) >= 2);
    const exported = await api().get('/api/export').set('Authorization', `Bearer ${TEST_TOKEN}`);
    expect(exported.status).toBe(200);
    // They really ran as those users, and Redis refused them nothing on the way.
    const clients = String(await root.call('CLIENT', 'LIST'));
    // The message patterns' subscription too (one channel per pattern).
    const patterns = Object.keys(AdminPatterns).length;
    expect(clients).toMatch(new RegExp(` sub=${patterns} .*user=rcc-admin`));
    for (const user of ['rcc-node', 'rcc-publisher', 'rcc-admin']) {
      expect(clients).toContain(`user=${user}`);
    }
    expect(await root.call('ACL', 'LOG')).toEqual([]);
  });

  const refused = async (client: Redis, ...command: [string, ...string[]]) => {
    const [name, ...args] = command;
    await expect(client.call(name, ...args)).rejects.toThrow(/NOPERM/);
  };

  it('refuses the node the history, the audit log, other keys, other channels, admin commands', async () => {
    await refused(asNode, 'LRANGE', `{${namespace}}:history:acl-group`, '0', '-1');
    await refused(asNode, 'XRANGE', `{${namespace}}:audit`, '-', '+');
    await refused(asNode, 'GET', 'some-other-key');
    await refused(asNode, 'HGETALL', 'rcc::config::another_namespace');
    await refused(asNode, 'PUBLISH', 'another-channel', 'x');
    await refused(asNode, 'SUBSCRIBE', `{${namespace}}:something-else`);
    for (const command of [
      ['KEYS', '*'],
      ['FLUSHALL'],
      ['CONFIG', 'GET', '*'],
      ['LPUSH', `{${namespace}}:history:acl-group`, 'x'],
    ]) {
      await refused(asNode, ...(command as [string, ...string[]]));
    }
  });

  it('still lets the node write the groups hash (the limit SECURITY.md names)', async () => {
    // Its scripts name the hash as a key and write the lease keys: Redis then asks for write
    // access to every key they name, and per-command rights cannot tell the keys apart.
    expect(await asNode.hget(namespace, 'acl-group')).toContain('second-key');
    expect(await asNode.hset(namespace, 'acl-probe', '{}')).toBe(1);
    await root.hdel(namespace, 'acl-probe');
  });

  it('refuses the publisher other namespaces, other channels and admin commands', async () => {
    await refused(asPublisher, 'GET', 'some-other-key');
    await refused(asPublisher, 'HGETALL', 'rcc::config::another_namespace');
    await refused(asPublisher, 'PUBLISH', 'another-channel', 'x');
    // Only the admin (and its callers) may use the message patterns' channels.
    await refused(asPublisher, 'PUBLISH', AdminPatterns.publishGroup, '{}');
    await refused(asNode, 'SUBSCRIBE', `${AdminPatterns.listGroups}.reply`);
    for (const command of [
      ['KEYS', '*'],
      ['FLUSHALL'],
      ['FLUSHDB'],
      ['CONFIG', 'SET', 'requirepass', 'x'],
      ['SCAN', '0'],
    ]) {
      await refused(asPublisher, ...(command as [string, ...string[]]));
    }
    await refused(asPublisher, 'ACL', 'SETUSER', 'intruder', 'on', '+@all', '~*');
  });
});
