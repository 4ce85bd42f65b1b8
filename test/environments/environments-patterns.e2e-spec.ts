import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { AdminPatterns, patternChannel } from '../../apps/admin/src/rpc/admin-patterns';
import { groupPath, TEST_TOKEN } from '../admin/admin-app';
import request from 'supertest';
import { startTwoEnvironmentAdmin, startTwoRedis, TwoRedis } from './two-environments';

/** The message patterns take `env` in the message (DESIGN §19), like `?env=` over REST. */
describe('message patterns with env', () => {
  let redis: TwoRedis;
  let admin: Awaited<ReturnType<typeof startTwoEnvironmentAdmin>>;
  let client: ClientProxy;

  beforeAll(async () => {
    redis = await startTwoRedis();
    admin = await startTwoEnvironmentAdmin(redis, {
      microservice: true,
      protectedEnvironments: 'production',
    });
    // The transport stays on the first environment's Redis.
    client = ClientProxyFactory.create({
      transport: Transport.REDIS,
      options: { host: '127.0.0.1', port: redis.staging.port },
    });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await admin?.app.close();
    await redis?.dispose();
  });

  const send = <T>(pattern: string, payload: Record<string, unknown>): Promise<T> =>
    firstValueFrom(
      client.send<T>(patternChannel(pattern, admin.namespaces.staging), {
        token: TEST_TOKEN,
        ...payload,
      }),
    );

  it('publishes into the environment named by env; unknown env is a 400', async () => {
    const staged = await send<{ version: number }>(AdminPatterns.publishGroup, {
      name: 'rpc-env',
      config: { a: 1 },
      env: 'staging',
    });
    expect(staged.version).toBe(0);
    // Production is protected: the message gets the change request back, nothing is written.
    const requested = await send<{ status: string; env: string; action: string }>(
      AdminPatterns.publishGroup,
      { name: 'rpc-env', config: { a: 2 }, env: 'production' },
    );
    expect(requested).toMatchObject({ status: 'pending', env: 'production', action: 'publish' });
    await request(admin.app.getHttpServer())
      .get(`${groupPath('rpc-env')}?env=production`)
      .set('Authorization', admin.auth)
      .expect(404);
    const listed = await send<{ name: string }[]>(AdminPatterns.listGroups, { env: 'staging' });
    expect(listed.map((group) => group.name)).toEqual(['rpc-env']);
    await expect(send(AdminPatterns.listGroups, { env: 'qa' })).rejects.toMatchObject({
      statusCode: 400,
      message: 'Unknown environment "qa": known are staging, production',
    });
  });
});
