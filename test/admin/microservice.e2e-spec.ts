import type { Server } from 'node:http';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import request from 'supertest';
import { AdminPatterns } from '../../apps/admin/src/rpc/admin-patterns';
import { RedisServer } from '../helpers/redis-server';
import { startAdmin, TEST_TOKEN, TestAdmin } from './admin-app';
import { roleTokens } from './role-tokens';
import { waitFor } from '../helpers/wait-for';

/**
 * The hybrid app's message patterns, called the way another Nest service would: a real
 * `ClientProxy` over the Redis transport. This suite has a Redis server of its own: patterns are
 * global to a server, so no other admin may answer them.
 */
describe('admin microservice: message patterns over the Redis transport', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let http: Server;
  let client: ClientProxy;
  const roles = roleTokens('rpc');

  beforeAll(async () => {
    redis = await RedisServer.start();
    // The default namespace: its admins answer the patterns under their plain names (DESIGN §8).
    admin = await startAdmin(redis, {
      settings: {
        microservice: true,
        tokens: [{ label: 'tester', token: TEST_TOKEN, role: 'admin' }, ...roles.settings],
      },
      redisConfig: { namespace: 'rcc::config::redis_config_center' },
    });
    http = admin.app.getHttpServer();
    client = ClientProxyFactory.create({
      transport: Transport.REDIS,
      options: { host: '127.0.0.1', port: redis.port },
    });
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
    await admin.app.close();
    await redis.dispose();
  });

  /** As a caller with `token` (default: the admin's test token); `token: null` sends none. */
  const send = <T>(
    pattern: string,
    payload: unknown,
    token: string | null = TEST_TOKEN,
  ): Promise<T> =>
    firstValueFrom(
      client.send<T>(
        pattern,
        token !== null && typeof payload === 'object' && payload !== null && !Array.isArray(payload)
          ? { token, ...payload }
          : payload,
      ),
    );

  it('publishes, gets, lists and deletes groups, sharing the store with the REST API', async () => {
    const created = await send<{ version: number; author: string }>(AdminPatterns.publishGroup, {
      name: 'rpc-group',
      config: { apikey: 'k1', nested: { list: [1, []] } },
      author: 'billing-service', // ignored: the author is the token's label
      comment: 'from rpc',
    });
    expect(created).toMatchObject({ version: 0, author: 'tester' });

    const updated = await send(AdminPatterns.publishGroup, {
      name: 'rpc-group',
      config: { apikey: 'k2' },
      expectedVersion: 0,
    });
    // The author is the token's label; the answer is masked.
    expect(updated).toMatchObject({ version: 1, config: { apikey: '••••' }, author: 'tester' });

    const viaRest = await request(http)
      .get('/api/groups/rpc-group')
      .set('Authorization', admin.auth)
      .expect(200);
    // Same store; both mask the secret (DESIGN §14); an admin's token may ask for it in clear.
    expect(viaRest.body).toMatchObject({ version: 1, config: { apikey: '••••' } });
    expect(await send(AdminPatterns.getGroup, { name: 'rpc-group' })).toMatchObject({
      config: { apikey: '••••' },
    });

    expect(await send(AdminPatterns.getGroup, { name: 'rpc-group', reveal: true })).toMatchObject({
      name: 'rpc-group',
      version: 1,
      config: { apikey: 'k2' },
    });
    expect(await send(AdminPatterns.listGroups, { search: 'RPC' })).toEqual([
      {
        name: 'rpc-group',
        version: 1,
        keyCount: 1,
        updatedAt: expect.any(String),
        nodeCount: 0,
        sharedNodeCount: 0,
      },
    ]);
    expect(await send(AdminPatterns.listGroups, {})).toHaveLength(1);
    expect(await send(AdminPatterns.listNodes, {})).toEqual([]);

    expect(await send(AdminPatterns.deleteGroup, { name: 'rpc-group' })).toEqual({
      name: 'rpc-group',
      deleted: true,
      reassignedNodes: [],
      sharedNodes: [],
      sharedNodeCount: 0,
      warning: null,
    });
    await request(http).get('/api/groups/rpc-group').set('Authorization', admin.auth).expect(404);
  });

  it('validates payloads as the REST API does, answering with the same error bodies', async () => {
    await expect(
      send(AdminPatterns.publishGroup, { name: 'bad{name}', config: [1], extra: true }),
    ).rejects.toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.any(String),
      problems: [
        { field: 'extra', message: 'is not an allowed field' },
        { field: 'name', message: 'must not contain "{" or "}"' },
        { field: 'config', message: 'must be a JSON object' },
      ],
    });
    await expect(send(AdminPatterns.publishGroup, [])).rejects.toMatchObject({
      statusCode: 401,
    });
    await expect(send(AdminPatterns.getGroup, { name: 'absent' })).rejects.toMatchObject({
      statusCode: 404,
      error: 'Not Found',
    });
    await expect(send(AdminPatterns.deleteGroup, { name: 'absent' })).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(send(AdminPatterns.getGroup, {})).rejects.toMatchObject({
      statusCode: 400,
      problems: [{ field: 'name', message: 'must be a string' }],
    });
  });

  it('refuses a stale expectedVersion with 409, naming both versions, and keeps the newer write', async () => {
    await send(AdminPatterns.publishGroup, { name: 'contended', config: { v: 'a' } });
    await send(AdminPatterns.publishGroup, {
      name: 'contended',
      config: { v: 'b' },
      expectedVersion: 0,
    });
    await expect(
      send(AdminPatterns.publishGroup, {
        name: 'contended',
        config: { v: 'c' },
        expectedVersion: 0,
      }),
    ).rejects.toMatchObject({ statusCode: 409, expectedVersion: 0, actualVersion: 1 });
    expect(await send(AdminPatterns.getGroup, { name: 'contended' })).toMatchObject({
      version: 1,
      config: { v: 'b' },
    });
  });

  it('needs a token of the right role in every message, as the REST API does, and audits refusals', async () => {
    const publish = { name: 'guarded', config: { apikey: 'sk-guarded-0123456789' } };
    await expect(send(AdminPatterns.listGroups, {}, null)).rejects.toMatchObject({
      statusCode: 401,
      message: expect.stringContaining('Missing "token"'),
    });
    await expect(
      send(AdminPatterns.listGroups, {}, 'not-a-token-of-this-admin'),
    ).rejects.toMatchObject({ statusCode: 401, message: 'Invalid token' });
    await expect(
      send(AdminPatterns.publishGroup, publish, roles.tokens.reader),
    ).rejects.toMatchObject({
      statusCode: 403,
      message: expect.stringContaining('needs the "writer" role'),
    });
    expect(await send(AdminPatterns.publishGroup, publish, roles.tokens.writer)).toMatchObject({
      version: 0,
      author: 'rpc-writer',
      config: { apikey: '••••6789' },
    });
    // A reader reads, masked; revealing is for admins only.
    expect(
      await send(AdminPatterns.getGroup, { name: 'guarded' }, roles.tokens.reader),
    ).toMatchObject({ config: { apikey: '••••6789' } });
    await expect(
      send(AdminPatterns.getGroup, { name: 'guarded', reveal: true }, roles.tokens.writer),
    ).rejects.toMatchObject({ statusCode: 403 });
    // A writer sending the mask back keeps the stored secret.
    await send(
      AdminPatterns.publishGroup,
      { name: 'guarded', config: { apikey: '••••6789', n: 2 } },
      roles.tokens.writer,
    );
    expect(
      await send(AdminPatterns.getGroup, { name: 'guarded', reveal: true }, roles.tokens.admin),
    ).toMatchObject({ version: 1, config: { apikey: 'sk-guarded-0123456789', n: 2 } });
    await expect(
      send(AdminPatterns.deleteGroup, { name: 'guarded' }, roles.tokens.reader),
    ).rejects.toMatchObject({ statusCode: 403 });

    const expected = [
      { actor: null, path: AdminPatterns.listGroups, status: 401 },
      { actor: 'rpc-reader', path: AdminPatterns.publishGroup, status: 403 },
      { actor: 'rpc-writer', path: AdminPatterns.getGroup, status: 403 },
      { actor: 'rpc-reader', path: AdminPatterns.deleteGroup, status: 403 },
    ];
    let audit: unknown[] = [];
    // Entries are written after the answer: wait for them (bounded).
    await waitFor('the refused messages in the audit log', async () => {
      audit = (
        await request(http).get('/api/audit?action=refused').set('Authorization', admin.auth)
      ).body as unknown[];
      const seen = (audit as { actor: string | null; path: string; status: number }[]).map(
        ({ actor, path, status }) => JSON.stringify({ actor, path, status }),
      );
      return expected.every((entry) => seen.includes(JSON.stringify(entry)));
    });
    expect(JSON.stringify(audit)).not.toContain('sk-guarded');
    // Served messages are audited as requests are: the writes and the reveal, by token label.
    await waitFor('the served messages in the audit log', async () => {
      const entries = (
        await request(http).get('/api/audit?group=guarded').set('Authorization', admin.auth)
      ).body as { action: string; actor: string; path: string; toVersion: number | null }[];
      const seen = entries.map(({ action, actor, path, toVersion }) =>
        JSON.stringify({ action, actor, path, toVersion }),
      );
      return [
        {
          action: 'published',
          actor: 'rpc-writer',
          path: AdminPatterns.publishGroup,
          toVersion: 0,
        },
        {
          action: 'published',
          actor: 'rpc-writer',
          path: AdminPatterns.publishGroup,
          toVersion: 1,
        },
        { action: 'revealed', actor: 'rpc-admin', path: AdminPatterns.getGroup, toVersion: 1 },
      ].every((entry) => seen.includes(JSON.stringify(entry)));
    });
  });
});
