import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { firstValueFrom } from 'rxjs';
import { AdminPatterns } from '../../apps/admin/src/rpc/admin-patterns';
import type { SingleReplicaRedisServer } from '../../apps/admin/src/rpc/single-replica-redis.server';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { startAdmin, TEST_TOKEN, TestAdmin } from './admin-app';

/** The message server an admin built (Nest keeps it on the microservice it connected). */
function messageServer(app: NestExpressApplication): SingleReplicaRedisServer {
  const [microservice] = app.getMicroservices();
  return (microservice as unknown as { serverInstance: SingleReplicaRedisServer }).serverInstance;
}

/**
 * Two admin replicas on one Redis and one namespace (the documented HA set-up): every message
 * pattern reaches both, and exactly one applies it and answers (issue 23 #1: one
 * `rcc.groups.publish` used to write versions 0 and 1 and send two answers).
 */
describe('admin message patterns with two replicas', () => {
  let redis: RedisServer;
  const admins: TestAdmin[] = [];
  let client: ClientProxy;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const namespace = uniqueNamespace('replicas');
    for (let i = 0; i < 2; i++) {
      admins.push(
        await startAdmin(redis, { settings: { microservice: true }, redisConfig: { namespace } }),
      );
    }
    client = ClientProxyFactory.create({
      transport: Transport.REDIS,
      options: { host: '127.0.0.1', port: redis.port },
    });
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    for (const admin of admins) await admin.app.close();
    await redis?.dispose();
  });

  const counts = () => admins.map((admin) => ({ ...messageServer(admin.app).counts }));
  /** Waits until both replicas have decided on every message sent so far. */
  const bothDecided = (messages: number) =>
    waitFor(`both replicas deciding on ${messages} messages`, () =>
      counts().every(({ handled, declined }) => handled + declined === messages),
    );

  it('applies a publish once and answers it once', async () => {
    const replies: string[] = [];
    const listener = redis.client();
    await listener.subscribe(`${AdminPatterns.publishGroup}.reply`);
    listener.on('message', (_channel, message: string) => replies.push(message));
    try {
      const written = await firstValueFrom(
        client.send<{ version: number }>(AdminPatterns.publishGroup, {
          token: TEST_TOKEN,
          name: 'once',
          config: { a: 1 },
        }),
      );
      expect(written.version).toBe(0);
      await bothDecided(1);
      expect(
        counts()
          .map((count) => count.handled)
          .sort(),
      ).toEqual([0, 1]);

      // A second message is a barrier: both replicas heard the first before deciding on it.
      const listed = await firstValueFrom(
        client.send<{ name: string; version: number }[]>(AdminPatterns.listGroups, {
          token: TEST_TOKEN,
        }),
      );
      await bothDecided(2);
      expect(listed).toEqual([expect.objectContaining({ name: 'once', version: 0 })]);
      const raw = redis.client();
      try {
        expect(await raw.llen(`{${admins[0].namespace}}:history:once`)).toBe(1);
      } finally {
        raw.disconnect();
      }
      // The publish had exactly one answer on the reply channel (the list's is on its own).
      await waitFor('the publish answer heard', () => replies.length >= 1);
      expect(replies).toHaveLength(1);
    } finally {
      listener.disconnect();
    }
  });

  it('answers every pattern once, writes included, across many messages', async () => {
    const before = counts();
    const sent = 20;
    for (let i = 0; i < sent; i++) {
      const written = await firstValueFrom(
        client.send<{ version: number }>(AdminPatterns.publishGroup, {
          token: TEST_TOKEN,
          name: 'many',
          config: { i },
          expectedVersion: i === 0 ? undefined : i - 1,
        }),
      );
      expect(written.version).toBe(i);
    }
    const total = before[0].handled + before[0].declined + sent;
    await bothDecided(total);
    const after = counts();
    expect(after[0].handled + after[1].handled - before[0].handled - before[1].handled).toBe(sent);
  });
});
