import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { firstValueFrom } from 'rxjs';
import { AdminPatterns, patternChannel } from '../../apps/admin/src/rpc/admin-patterns';
import type { SingleReplicaRedisServer } from '../../apps/admin/src/rpc/single-replica-redis.server';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { startAdmin, TEST_TOKEN, TestAdmin } from './admin-app';
import { roleTokens } from './role-tokens';

/** A `ClientProxy` of the Redis transport, as another Nest service holds one, connected. */
async function connectedClient(redis: RedisServer): Promise<ClientProxy> {
  const client = ClientProxyFactory.create({
    transport: Transport.REDIS,
    options: { host: '127.0.0.1', port: redis.port },
  });
  await client.connect();
  return client;
}

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
  const namespace = uniqueNamespace('replicas');

  beforeAll(async () => {
    redis = await RedisServer.start();
    for (let i = 0; i < 2; i++) {
      admins.push(
        await startAdmin(redis, { settings: { microservice: true }, redisConfig: { namespace } }),
      );
    }
    client = await connectedClient(redis);
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
    await listener.subscribe(`${patternChannel(AdminPatterns.publishGroup, namespace)}.reply`);
    listener.on('message', (_channel, message: string) => replies.push(message));
    try {
      const written = await firstValueFrom(
        client.send<{ version: number }>(patternChannel(AdminPatterns.publishGroup, namespace), {
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
        client.send<{ name: string; version: number }[]>(
          patternChannel(AdminPatterns.listGroups, namespace),
          {
            token: TEST_TOKEN,
          },
        ),
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
        client.send<{ version: number }>(patternChannel(AdminPatterns.publishGroup, namespace), {
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

/**
 * The message patterns keep the REST API's limits (issue 23 #7): the author is the token's label
 * whatever the message says, a message over `ADMIN_BODY_LIMIT` is refused, and writes share the
 * token's write budget.
 */
describe('admin message patterns: the same limits as REST', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let client: ClientProxy;
  const roles = roleTokens('limits');

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = await startAdmin(redis, {
      settings: {
        microservice: true,
        bodyLimitBytes: 64 * 1024,
        writeRateLimit: 3,
        tokens: [{ label: 'tester', token: TEST_TOKEN, role: 'admin' }, ...roles.settings],
      },
    });
    client = await connectedClient(redis);
  });
  afterAll(async () => {
    await client?.close();
    await admin?.app.close();
    await redis?.dispose();
  });

  const send = <T>(pattern: string, payload: object, token: string) =>
    firstValueFrom(client.send<T>(patternChannel(pattern, admin.namespace), { token, ...payload }));
  const stored = async (name: string) => {
    const raw = redis.client();
    try {
      return await raw.hget(admin.namespace, name);
    } finally {
      raw.disconnect();
    }
  };

  it("records the token's label as the author, never the message's", async () => {
    const written = await send<{ author: string }>(
      AdminPatterns.publishGroup,
      { name: 'authored', config: { a: 1 }, author: 'tester' },
      roles.tokens.writer,
    );
    expect(written.author).toBe('limits-writer');
    expect(JSON.parse((await stored('authored')) ?? '{}')).toMatchObject({
      author: 'limits-writer',
    });
  });

  it('refuses a message over the body limit, naming it, and stores nothing', async () => {
    await expect(
      send(
        AdminPatterns.publishGroup,
        { name: 'too-big', config: { blob: 'x'.repeat(100 * 1024) } },
        roles.tokens.writer,
      ),
    ).rejects.toMatchObject({
      statusCode: 413,
      message: expect.stringContaining('ADMIN_BODY_LIMIT'),
    });
    expect(await stored('too-big')).toBeNull();
  });

  it("spends the token's write budget on message writes, not on reads", async () => {
    // One write of this token was made above: two more fit in the budget of three a minute.
    for (let i = 0; i < 2; i++) {
      await send(
        AdminPatterns.publishGroup,
        { name: 'budget', config: { i } },
        roles.tokens.writer,
      );
    }
    await expect(
      send(AdminPatterns.publishGroup, { name: 'budget', config: { i: 9 } }, roles.tokens.writer),
    ).rejects.toMatchObject({ statusCode: 429 });
    expect(JSON.parse((await stored('budget')) ?? '{}')).toMatchObject({ group_version: 1 });
    // Reads are not counted; another token has its own budget.
    await send(AdminPatterns.listGroups, {}, roles.tokens.writer);
    await send(AdminPatterns.publishGroup, { name: 'budget', config: { i: 3 } }, TEST_TOKEN);
  });
});

/**
 * Admins of two namespaces on one Redis (issue 23 #7): the default namespace's admin answers the
 * plain pattern names, another namespace's admin only `<pattern>@<namespace>`; neither applies
 * the other's messages.
 */
describe('admin message patterns of two namespaces on one Redis', () => {
  let redis: RedisServer;
  let plain: TestAdmin;
  let staging: TestAdmin;
  let client: ClientProxy;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const settings = { microservice: true };
    plain = await startAdmin(redis, {
      settings,
      redisConfig: { namespace: 'rcc::config::redis_config_center' },
    });
    staging = await startAdmin(redis, { settings, redisConfig: { namespace: 'staging' } });
    client = await connectedClient(redis);
  });
  afterAll(async () => {
    await client?.close();
    await plain?.app.close();
    await staging?.app.close();
    await redis?.dispose();
  });

  const publish = (channel: string, name: string) =>
    firstValueFrom(
      client.send<{ version: number }>(channel, { token: TEST_TOKEN, name, config: { a: 1 } }),
    );

  it('serves each namespace on its own channels only', async () => {
    expect(patternChannel(AdminPatterns.publishGroup, 'staging')).toBe(
      'rcc.groups.publish@staging',
    );
    await publish(AdminPatterns.publishGroup, 'plain-one');
    // A second message to the staging admin is a barrier: it decided on anything heard before.
    await publish(patternChannel(AdminPatterns.publishGroup, 'staging'), 'staging-one');
    expect(messageServer(staging.app).counts).toEqual({ handled: 1, declined: 0 });
    const raw = redis.client();
    try {
      expect(await raw.hkeys('rcc::config::redis_config_center')).toEqual(['plain-one']);
      expect(await raw.hkeys('staging')).toEqual(['staging-one']);
    } finally {
      raw.disconnect();
    }
    expect(messageServer(plain.app).counts).toEqual({ handled: 1, declined: 0 });
  });
});
