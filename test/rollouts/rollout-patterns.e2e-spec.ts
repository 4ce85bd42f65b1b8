import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { AdminPatterns, patternChannel } from '../../apps/admin/src/rpc/admin-patterns';
import { startAdmin, TEST_TOKEN, TestAdmin } from '../admin/admin-app';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { FleetNode, runs, startFleetNode, startFleetPublisher } from './rollout-fleet';

/** `rcc.rollouts.start|get|promote|abort` over the Redis transport (a Redis of its own). */
describe('rollout message patterns', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let client: ClientProxy;
  let node: FleetNode;
  let publisher: Awaited<ReturnType<typeof startFleetPublisher>>;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const namespace = uniqueNamespace('rollout-rpc');
    admin = await startAdmin(redis, {
      settings: { microservice: true },
      redisConfig: { namespace },
    });
    client = ClientProxyFactory.create({
      transport: Transport.REDIS,
      options: { host: '127.0.0.1', port: redis.port },
    });
    await client.connect();
    publisher = await startFleetPublisher(redis, namespace);
    await publisher.store.publish('team-a', { apikey: 'AIza-stable' });
    node = await startFleetNode(redis, namespace, 'rpc-node');
    const { NodeRegistry } = await import('@rcc/redis-config/publisher');
    const registry = admin.app.get(NodeRegistry);
    await waitFor('one holder', async () => (await registry.list())[0]?.group === 'team-a');
  });

  afterAll(async () => {
    await client?.close();
    await node?.app.close();
    await publisher?.app.close();
    await admin?.app.close();
    await redis?.dispose();
  });

  /** As a caller holding the admin's test token (role admin). */
  const send = <T>(pattern: string, payload: Record<string, unknown>): Promise<T> =>
    firstValueFrom(
      client.send<T>(patternChannel(pattern, admin.namespace), { token: TEST_TOKEN, ...payload }),
    );

  it('starts, reads, promotes and aborts, with the REST answers and errors', async () => {
    const started = await send<{ id: string; status: string; canaryNodes: string[] }>(
      AdminPatterns.startRollout,
      {
        name: 'team-a',
        config: { apikey: 'AIza-rpc' },
        steps: [{ percent: 50, bakeMs: 600000 }],
        author: 'deployer',
      },
    );
    expect(started).toMatchObject({ status: 'canary', canaryNodes: ['rpc-node'] });
    // Masked as over REST; in clear for an admin who asks.
    expect(await send(AdminPatterns.getRollout, { name: 'team-a' })).toMatchObject({
      id: started.id,
      config: { apikey: '••••' },
    });
    expect(await send(AdminPatterns.getRollout, { name: 'team-a', reveal: true })).toMatchObject({
      id: started.id,
      config: { apikey: 'AIza-rpc' },
    });
    await waitFor('the node is a canary', () => runs(node).apikey === 'AIza-rpc');
    await expect(
      send(AdminPatterns.startRollout, { name: 'team-a', config: { apikey: 'x' } }),
    ).rejects.toMatchObject({ statusCode: 409 });
    expect(await send(AdminPatterns.promoteRollout, { name: 'team-a' })).toMatchObject({
      status: 'promoted',
    });
    await expect(send(AdminPatterns.abortRollout, { name: 'team-a' })).rejects.toMatchObject({
      statusCode: 409,
    });
    await expect(
      send(AdminPatterns.startRollout, { name: 'team-a', config: { apikey: '' } }),
    ).rejects.toMatchObject({ statusCode: 422, problems: [{ nodeId: 'rpc-node' }] });
    await expect(
      send(AdminPatterns.startRollout, { name: 'team-a', config: {}, steps: [{ percent: 500 }] }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await expect(send(AdminPatterns.getRollout, { name: 'absent' })).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
