import { resolveOptions } from '@rcc/redis-config/publisher';
import { serverInfo } from './server-info';

describe('serverInfo', () => {
  it('shows a standalone server with its db, never its password', () => {
    const options = resolveOptions(
      { namespace: 'ns' },
      {
        REDIS_URL: 'redis://user:pa55word@cache.internal:6380/2',
        REDIS_CONFIG_CENTER_TYPE: 'STAGING',
      },
    );
    const info = serverInfo(options, true);
    expect(info).toEqual({
      mode: 'standalone',
      host: 'cache.internal',
      port: 6380,
      db: 2,
      endpoints: ['cache.internal:6380'],
      sentinelName: null,
      tls: false,
      namespace: 'ns',
      environment: 'STAGING',
      connected: true,
    });
    expect(JSON.stringify(info)).not.toContain('pa55word');
  });

  it('shows the sentinels and the master name, or the cluster nodes', () => {
    const sentinel = resolveOptions(
      {},
      {
        REDIS_SENTINELS: 's1:26379,s2:26380',
        REDIS_SENTINEL_NAME: 'primary',
        REDIS_PASSWORD: 'pw',
      },
    );
    expect(serverInfo(sentinel, false)).toMatchObject({
      mode: 'sentinel',
      host: 's1',
      port: 26379,
      endpoints: ['s1:26379', 's2:26380'],
      sentinelName: 'primary',
      connected: false,
    });
    const cluster = resolveOptions(
      {},
      { REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_PASSWORD: 'pw' },
    );
    const info = serverInfo(cluster, true);
    expect(info).toMatchObject({
      mode: 'cluster',
      host: 'n1',
      port: 7000,
      endpoints: ['n1:7000', 'n2:7001'],
    });
    expect(JSON.stringify(info)).not.toContain('pw"');
  });

  it('shows TLS for rediss:// URLs', () => {
    expect(serverInfo(resolveOptions({}, { REDIS_URL: 'rediss://h:1' }), true).tls).toBe(true);
  });
});
