import type { Server } from 'node:http';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import request from 'supertest';
import { AdminPatterns } from '../../apps/admin/src/rpc/admin-patterns';
import { RedisServer } from '../helpers/redis-server';
import { startAdmin, TestAdmin } from './admin-app';

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

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = await startAdmin(redis, { settings: { microservice: true } });
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

  const send = <T>(pattern: string, payload: unknown): Promise<T> =>
    firstValueFrom(client.send<T>(pattern, payload));

  it('publishes, gets, lists and deletes groups, sharing the store with the REST API', async () => {
    const created = await send<{ version: number; author: string }>(AdminPatterns.publishGroup, {
      name: 'rpc-group',
      config: { apikey: 'k1', nested: { list: [1, []] } },
      author: 'billing-service',
      comment: 'from rpc',
    });
    expect(created).toMatchObject({ version: 0, author: 'billing-service' });

    const updated = await send(AdminPatterns.publishGroup, {
      name: 'rpc-group',
      config: { apikey: 'k2' },
      expectedVersion: 0,
    });
    expect(updated).toMatchObject({ version: 1, config: { apikey: 'k2' }, author: 'rpc' });

    const viaRest = await request(http)
      .get('/api/groups/rpc-group')
      .set('Authorization', admin.auth)
      .expect(200);
    // Same store; REST masks the secret (DESIGN §14), the patterns below carry no token and do not.
    expect(viaRest.body).toMatchObject({ version: 1, config: { apikey: '••••' } });

    expect(await send(AdminPatterns.getGroup, { name: 'rpc-group' })).toMatchObject({
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
      statusCode: 400,
      problems: [{ field: 'body', message: 'must be a JSON object' }],
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
});
