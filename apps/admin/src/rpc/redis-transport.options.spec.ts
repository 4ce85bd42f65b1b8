import { Transport } from '@nestjs/microservices';
import { resolveOptions } from '@rcc/redis-config/publisher';
import { redisTransportOptions } from './redis-transport.options';

describe('redisTransportOptions', () => {
  it('uses the groups Redis (with its password and db) and keeps reconnecting', () => {
    const transport = redisTransportOptions(
      resolveOptions({}, { REDIS_URL: 'redis://:pw@h:6390/4' }),
    );
    expect(transport).toEqual({
      transport: Transport.REDIS,
      options: expect.objectContaining({
        host: 'h',
        port: 6390,
        db: 4,
        password: 'pw',
        retryDelay: 1000,
        protocol: 2, // RESP2, as the library's own connections, under ioredis 6 too
      }),
    });
    expect(transport.options?.retryAttempts).toBeGreaterThan(1e6);
  });

  it('reaches a cluster through its first node, and refuses a shared client', () => {
    const cluster = redisTransportOptions(
      resolveOptions({}, { REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_PASSWORD: 'pw' }),
    );
    expect(cluster.options).toMatchObject({ host: 'n1', port: 7000, password: 'pw' });
    expect(() =>
      redisTransportOptions(resolveOptions({ redis: { namespace: 'shared' } }, {})),
    ).toThrow(/REDIS_URL/);
  });
});
