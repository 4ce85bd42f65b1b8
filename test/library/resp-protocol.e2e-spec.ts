import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RedisModule } from '@liaoliaots/nestjs-redis';
import { Redis } from 'ioredis';
import { ConfigGroupService, RedisConfigModule } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { startNode } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

/**
 * The protocol of the library's connections (redis-config-connection.ts, OWN_PROTOCOL): RESP2 on
 * its own command client and subscriber whatever the ioredis major (ioredis 6 defaults to RESP3),
 * read from the server's own CLIENT LIST (`resp=`, Redis 7). A client the app shares keeps the
 * app's protocol; the library's subscriber beside it is RESP2; RESP3's own reply shapes
 * (`replyMapping: 'resp3'`) are refused at start-up with a message that says so.
 */
const IOREDIS_MAJOR = Number(
  (require('ioredis/package.json') as { version: string }).version.split('.')[0],
);

describe('RESP protocol of the library connections', () => {
  let redis: RedisServer;
  let probe: Redis;

  beforeAll(async () => {
    redis = await RedisServer.start();
    probe = new Redis(redis.port, { protocol: 2, lazyConnect: true });
    await probe.connect();
  });
  afterAll(async () => {
    probe?.disconnect();
    await redis?.dispose();
  });

  /** The `resp=` of every connection but the probe's, counted by protocol. */
  async function protocols(): Promise<Record<string, number>> {
    const own = await probe.client('ID');
    const list = (await probe.client('LIST')) as string;
    const counts: Record<string, number> = {};
    for (const line of list.trim().split('\n')) {
      const fields = Object.fromEntries(line.split(' ').map((field) => field.split('=', 2)));
      if (Number(fields.id) === own) continue;
      counts[fields.resp] = (counts[fields.resp] ?? 0) + 1;
    }
    return counts;
  }

  async function noOtherClients(): Promise<void> {
    await waitFor('the previous clients to close', async () => {
      const counts = await protocols();
      return Object.keys(counts).length === 0;
    });
  }

  it(`opens its command client and subscriber on RESP2 (ioredis ${IOREDIS_MAJOR})`, async () => {
    await noOtherClients();
    const namespace = uniqueNamespace('resp2');
    const node = await startNode({ redis: { url: redis.url }, namespace, group: 'resp' });
    try {
      await node.store.publish('resp', { answer: 'first' });
      await waitFor('the node to follow', () => node.config.get('answer') === 'first');
      // The command client, the subscriber (and nothing on RESP3).
      expect(await protocols()).toEqual({ '2': 2 });
    } finally {
      await node.app.close();
    }
  });

  it("keeps a shared client's protocol and opens its own subscriber on RESP2", async () => {
    await noOtherClients();
    const namespace = uniqueNamespace('resp-shared');
    @Module({
      imports: [
        RedisModule.forRoot({ config: { namespace: 'app', host: '127.0.0.1', port: redis.port } }),
        RedisConfigModule.forRoot({ redis: { namespace: 'app' }, namespace, group: 'shared' }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
    try {
      await app.get(ConfigGroupStore).publish('shared', { answer: 'shared' });
      const config = app.get(ConfigGroupService);
      await waitFor('the node to follow', () => config.get('answer') === 'shared');
      // ioredis 6 opens the app's client on RESP3 (its default), ioredis 5 on RESP2.
      expect(await protocols()).toEqual(IOREDIS_MAJOR >= 6 ? { '2': 1, '3': 1 } : { '2': 2 });
    } finally {
      await app.close();
    }
  });

  (IOREDIS_MAJOR >= 6 ? it : it.skip)(
    "refuses a client with RESP3's own reply shapes (replyMapping 'resp3')",
    async () => {
      @Module({
        imports: [
          RedisConfigModule.forRoot({
            redis: { host: '127.0.0.1', port: redis.port, protocol: 3, replyMapping: 'resp3' },
            namespace: uniqueNamespace('resp3-shapes'),
            group: 'shapes',
          }),
        ],
      })
      class ShapesModule {}
      await expect(
        NestFactory.createApplicationContext(ShapesModule, { logger: false, abortOnError: false }),
      ).rejects.toThrow("replyMapping 'resp3' is not supported");
    },
  );
});
