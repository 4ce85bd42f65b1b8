import { DEFAULT_NAMESPACE, parseRedisUrl, resolveOptions } from './redis-config.options';

describe('resolveOptions', () => {
  it('defaults every option as DESIGN §5 says', () => {
    const options = resolveOptions({}, {});
    expect(options).toMatchObject({
      redis: { kind: 'standalone', options: { host: 'localhost', port: 6379 } },
      namespace: DEFAULT_NAMESPACE,
      group: 'default',
      pool: '*',
      maxNodesPerGroup: 0,
      refreshMs: 5000,
      leaseMs: 10000,
      snapshotPath: null,
      startupTimeoutMs: 5000,
      node: true,
      environment: 'PRODUCTION',
      metrics: null,
    });
    expect(options.nodeId).toMatch(/\/\d+$/); // host/ip/pid
  });

  it('reads the old project env variables, with a bare host as REDIS_URL', () => {
    const options = resolveOptions(
      {},
      {
        REDIS_URL: 'redis.internal',
        REDIS_PORT: '6380',
        REDIS_DB: '2',
        REDIS_PASSWORD: 's3cret',
        DEFAULT_CONFIG_GROUP: 'group_1',
        REDIS_CONFIG_CENTER_TYPE: 'STAGING',
        RCC_NAMESPACE: 'ns',
        RCC_NODE_ID: 'node-7',
        RCC_REFRESH_MS: '250',
        RCC_POOL: 'apikey-*',
        RCC_MAX_NODES_PER_GROUP: '1',
        RCC_SNAPSHOT_PATH: '/var/lib/rcc.json',
        RCC_STARTUP_TIMEOUT_MS: '0',
        RCC_LEASE_MS: '3000',
      },
    );
    expect(options).toMatchObject({
      redis: {
        kind: 'standalone',
        options: { host: 'redis.internal', port: 6380, db: 2, password: 's3cret' },
      },
      group: 'group_1',
      environment: 'STAGING',
      namespace: 'ns',
      nodeId: 'node-7',
      refreshMs: 250,
      pool: 'apikey-*',
      maxNodesPerGroup: 1,
      snapshotPath: '/var/lib/rcc.json',
      startupTimeoutMs: 0,
      leaseMs: 3000,
    });
  });

  it('takes a full URL (which wins over REDIS_PORT/DB) and rediss:// for TLS', () => {
    expect(parseRedisUrl('rediss://user:p%40ss@cache:6390/3')).toEqual({
      host: 'cache',
      port: 6390,
      db: 3,
      username: 'user',
      password: 'p@ss',
      tls: {},
    });
    const options = resolveOptions(
      {},
      { REDIS_URL: 'redis://cache:7000/1', REDIS_PORT: '1', REDIS_DB: '9' },
    );
    expect(options.redis).toEqual({
      kind: 'standalone',
      options: { host: 'cache', port: 7000, db: 1 },
    });
  });

  it('uses Sentinel and Cluster settings', () => {
    expect(
      resolveOptions({}, { REDIS_SENTINELS: 'a:26379, b:26380', REDIS_SENTINEL_NAME: 'main' })
        .redis,
    ).toMatchObject({
      kind: 'sentinel',
      options: {
        sentinels: [
          { host: 'a', port: 26379 },
          { host: 'b', port: 26380 },
        ],
        name: 'main',
      },
    });
    expect(resolveOptions({}, { REDIS_CLUSTER_NODES: 'n1:7000,n2:7001' }).redis).toMatchObject({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
    });
  });

  it('lets explicit options win over the environment', () => {
    const options = resolveOptions(
      { group: 'mine', redis: { url: 'other', port: 1234 }, node: false },
      { DEFAULT_CONFIG_GROUP: 'env' },
    );
    expect(options).toMatchObject({
      group: 'mine',
      node: false,
      redis: { options: { host: 'other', port: 1234 } },
    });
    expect(resolveOptions({ redis: { namespace: 'cache' } }, {}).redis).toEqual({
      kind: 'shared',
      namespace: 'cache',
    });
  });

  it('inlines records of up to RCC_EVENT_INLINE_BYTES in change events (8192 by default, 0 = never)', () => {
    expect(resolveOptions({}, {}).eventInlineMaxBytes).toBe(8192);
    expect(resolveOptions({}, { RCC_EVENT_INLINE_BYTES: '0' }).eventInlineMaxBytes).toBe(0);
    expect(resolveOptions({}, { RCC_EVENT_INLINE_BYTES: '1048576' }).eventInlineMaxBytes).toBe(
      1048576,
    );
    expect(
      resolveOptions({ eventInlineMaxBytes: 64 }, { RCC_EVENT_INLINE_BYTES: '100' })
        .eventInlineMaxBytes,
    ).toBe(64);
  });

  it.each([
    [
      { RCC_EVENT_INLINE_BYTES: 'big' },
      /RCC_EVENT_INLINE_BYTES must be an integer from 0 to 1048576, got "big"/,
    ],
    [
      { RCC_EVENT_INLINE_BYTES: '-1' },
      /RCC_EVENT_INLINE_BYTES must be an integer from 0 to 1048576/,
    ],
    [{ RCC_EVENT_INLINE_BYTES: '1048577' }, /RCC_EVENT_INLINE_BYTES must be an integer from 0 to/],
    [{ RCC_EVENT_INLINE_BYTES: '1.5' }, /RCC_EVENT_INLINE_BYTES must be an integer/],
    [{ RCC_REFRESH_MS: 'soon' }, /RCC_REFRESH_MS must be an integer/],
    [{ RCC_MAX_NODES_PER_GROUP: '-1' }, /RCC_MAX_NODES_PER_GROUP must be an integer ≥ 0/],
    [{ REDIS_PORT: '99999' }, /REDIS_PORT must be an integer from 1 to 65535/],
    [{ REDIS_DB: 'x' }, /REDIS_DB must be an integer/],
    [{ REDIS_URL: 'redis://' }, /REDIS_URL/],
    [{ REDIS_URL: 'two words' }, /REDIS_URL is not a host name/],
    [{ REDIS_SENTINELS: 'nohost' }, /REDIS_SENTINELS must be "host:port/],
    [{ RCC_NAMESPACE: 'a{b}' }, /RCC_NAMESPACE must not contain/],
    [{ RCC_POOL: 'a,'.repeat(20) }, /RCC_POOL: .*at most 16/],
    [{ RCC_CONFIG_SERVICE_NAMESPACE: 'rcc.live' }, /RCC_CONFIG_SERVICE_NAMESPACE must be a name/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => resolveOptions({}, env)).toThrow(message);
  });

  it('registers metrics with RCC_METRICS=true or the metrics option (a registry, or the default)', () => {
    const registry = {
      registerMetric() {},
      getSingleMetric: () => undefined,
      removeSingleMetric() {},
    };
    expect(resolveOptions({}, { RCC_METRICS: 'true' }).metrics).toEqual({ registry: null });
    expect(resolveOptions({}, { RCC_METRICS: 'off' }).metrics).toBeNull();
    expect(resolveOptions({ metrics: false }, { RCC_METRICS: 'true' }).metrics).toBeNull();
    expect(resolveOptions({ metrics: true }, {}).metrics).toEqual({ registry: null });
    expect(resolveOptions({ metrics: { registry } }, {}).metrics).toEqual({ registry });
    expect(() => resolveOptions({}, { RCC_METRICS: 'maybe' })).toThrow(
      'RCC_METRICS must be true or false, got "maybe"',
    );
  });

  it('refuses an out-of-range eventInlineMaxBytes option, naming its variable', () => {
    expect(() => resolveOptions({ eventInlineMaxBytes: 2 ** 21 }, {})).toThrow(
      /RCC_EVENT_INLINE_BYTES must be an integer from 0 to 1048576, got 2097152/,
    );
  });

  it('mirrors into ConfigService only when RCC_CONFIG_SERVICE_NAMESPACE (or the option) names it', () => {
    expect(resolveOptions({}, {}).configServiceNamespace).toBeNull();
    expect(
      resolveOptions({}, { RCC_CONFIG_SERVICE_NAMESPACE: '' }).configServiceNamespace,
    ).toBeNull();
    expect(resolveOptions({}, { RCC_CONFIG_SERVICE_NAMESPACE: 'rcc' }).configServiceNamespace).toBe(
      'rcc',
    );
    expect(
      resolveOptions(
        { configServiceNamespace: 'live_config' },
        { RCC_CONFIG_SERVICE_NAMESPACE: 'rcc' },
      ).configServiceNamespace,
    ).toBe('live_config');
    expect(() => resolveOptions({ configServiceNamespace: 'a[0]' }, {})).toThrow(
      'RCC_CONFIG_SERVICE_NAMESPACE must be a name of letters, digits, _ $ - (no "."), got "a[0]"',
    );
  });
});
