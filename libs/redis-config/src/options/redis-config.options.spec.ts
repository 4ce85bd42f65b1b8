import { hostname, NetworkInterfaceInfo } from 'node:os';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from './redis-config.constants';
import { DEFAULT_SECRET_KEYS } from '../secrets/secret-keys';
import {
  DEFAULT_NAMESPACE,
  nodeAddress,
  parseRedisUrl,
  resolveOptions,
} from './redis-config.options';

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

describe('resolveOptions: the options a node rarely sets', () => {
  it('defaults the write, history, start-up and secret options', () => {
    const options = resolveOptions({}, {});
    expect(options).toMatchObject({
      failFast: false,
      validate: null,
      historyLimit: 50,
      writeReplicas: 0,
      writeReplicaTimeoutMs: 1000,
      encryption: null,
      secretKeys: DEFAULT_SECRET_KEYS,
    });
    expect(options.isSecretKey('db_password')).toBe(true);
    expect(options.isSecretKey('timeout')).toBe(false);
  });

  it('reads them from the environment, and lets the options win', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const env = {
      RCC_HISTORY_LIMIT: '1',
      RCC_WRITE_REPLICAS: '2',
      RCC_WRITE_REPLICA_TIMEOUT_MS: '1',
      RCC_ENCRYPTION_KEY: `env-key=${key}`,
      RCC_SECRET_KEYS: 'pin',
    };
    const fromEnv = resolveOptions({}, env);
    expect(fromEnv).toMatchObject({
      historyLimit: 1,
      writeReplicas: 2,
      writeReplicaTimeoutMs: 1,
      secretKeys: 'pin',
    });
    expect(fromEnv.encryption?.ids).toEqual(['env-key']);
    expect(fromEnv.isSecretKey('PIN')).toBe(true);
    expect(fromEnv.isSecretKey('password')).toBe(false);

    const validate = () => undefined;
    const explicit = resolveOptions(
      {
        historyLimit: 3,
        writeReplicas: 0,
        writeReplicaTimeoutMs: 20,
        encryptionKeys: [`mine=${key}`],
        secretKeys: '',
        failFast: true,
        validate,
      },
      env,
    );
    expect(explicit).toMatchObject({
      historyLimit: 3,
      writeReplicas: 0,
      writeReplicaTimeoutMs: 20,
      secretKeys: '',
      failFast: true,
    });
    expect(explicit.validate).toBe(validate);
    expect(explicit.encryption?.ids).toEqual(['mine']);
    // '' lists no secret key: not even the default ones.
    expect(explicit.isSecretKey('password')).toBe(false);
  });

  it.each([
    [{ RCC_HISTORY_LIMIT: '0' }, /RCC_HISTORY_LIMIT must be an integer ≥ 1/],
    [{ RCC_WRITE_REPLICAS: '-1' }, /RCC_WRITE_REPLICAS must be an integer ≥ 0/],
    [{ RCC_WRITE_REPLICA_TIMEOUT_MS: '0' }, /RCC_WRITE_REPLICA_TIMEOUT_MS must be an integer ≥ 1/],
    [{ RCC_REFRESH_MS: '9' }, /RCC_REFRESH_MS must be an integer ≥ 10/],
    [{ RCC_LEASE_MS: '99' }, /RCC_LEASE_MS must be an integer ≥ 100/],
    [{ RCC_STARTUP_TIMEOUT_MS: '-1' }, /RCC_STARTUP_TIMEOUT_MS must be an integer ≥ 0/],
    [{ RCC_ENCRYPTION_KEY: 'short' }, /^RCC_ENCRYPTION_KEY: the key/],
    [{ RCC_SECRET_KEYS: 'a'.repeat(129) }, /RCC_SECRET_KEYS holds at most 32 globs/],
    [{ RCC_POOL: 'x'.repeat(257) }, /^RCC_POOL: A group pattern is at most 256 characters$/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => resolveOptions({}, env)).toThrow(message);
  });

  it('takes the bounds themselves', () => {
    expect(
      resolveOptions(
        {},
        {
          RCC_REFRESH_MS: '10',
          RCC_LEASE_MS: '100',
          RCC_HISTORY_LIMIT: '1',
          RCC_MAX_NODES_PER_GROUP: '0',
        },
      ),
    ).toMatchObject({ refreshMs: 10, leaseMs: 100, historyLimit: 1, maxNodesPerGroup: 0 });
  });

  it('waits for one replica by default with Sentinel, and refuses replicas with a Cluster', () => {
    expect(resolveOptions({}, { REDIS_SENTINELS: 'a:26379' }).writeReplicas).toBe(1);
    expect(
      resolveOptions({}, { REDIS_SENTINELS: 'a:26379', RCC_WRITE_REPLICAS: '0' }).writeReplicas,
    ).toBe(0);
    expect(resolveOptions({}, { REDIS_CLUSTER_NODES: 'n1:7000' }).writeReplicas).toBe(0);
    expect(() =>
      resolveOptions({}, { REDIS_CLUSTER_NODES: 'n1:7000', RCC_WRITE_REPLICAS: '1' }),
    ).toThrow('RCC_WRITE_REPLICAS is not supported with REDIS_CLUSTER_NODES: leave it 0');
  });
});

describe('resolveOptions: the Redis connection', () => {
  it('names the Sentinel master mymaster unless REDIS_SENTINEL_NAME says otherwise', () => {
    expect(resolveOptions({}, { REDIS_SENTINELS: 'a:26379' }).redis).toMatchObject({
      kind: 'sentinel',
      options: { name: 'mymaster', sentinels: [{ host: 'a', port: 26379 }] },
    });
  });

  it('keeps sentinels given in the option over REDIS_SENTINELS', () => {
    const sentinels = [{ host: 'mine', port: 1 }];
    expect(
      resolveOptions({ redis: { sentinels, name: 'm' } }, { REDIS_SENTINELS: 'a:26379' }).redis,
    ).toEqual({
      kind: 'sentinel',
      options: { host: 'localhost', port: 6379, sentinels, name: 'm' },
    });
  });

  it('passes REDIS_PASSWORD to every Cluster node, and takes cluster nodes given as an option', () => {
    expect(
      resolveOptions({}, { REDIS_CLUSTER_NODES: 'n1:7000', REDIS_PASSWORD: 'pw' }).redis,
    ).toEqual({
      kind: 'cluster',
      nodes: [{ host: 'n1', port: 7000 }],
      options: { redisOptions: { password: 'pw' } },
    });
    expect(resolveOptions({}, { REDIS_CLUSTER_NODES: 'n1:7000' }).redis).toEqual({
      kind: 'cluster',
      nodes: [{ host: 'n1', port: 7000 }],
      options: { redisOptions: { password: undefined } },
    });
    const clusterNodes = [{ host: 'c', port: 7002 }];
    expect(
      resolveOptions({ redis: { clusterNodes } }, { REDIS_CLUSTER_NODES: 'n1:7000' }).redis,
    ).toEqual({ kind: 'cluster', nodes: clusterNodes, options: {} });
    // A plain connection given as an option wins over REDIS_CLUSTER_NODES.
    expect(
      resolveOptions({ redis: { url: 'h' } }, { REDIS_CLUSTER_NODES: 'n1:7000' }).redis,
    ).toEqual({ kind: 'standalone', options: { host: 'h', port: 6379 } });
    expect(() => resolveOptions({}, { REDIS_CLUSTER_NODES: 'n1:99999' })).toThrow(
      /REDIS_CLUSTER_NODES port must be an integer from 1 to 65535/,
    );
  });

  it('lets the URL password and db win over REDIS_PASSWORD and REDIS_DB', () => {
    expect(
      resolveOptions({}, { REDIS_URL: 'redis://:url-pw@h/4', REDIS_PASSWORD: 'env', REDIS_DB: '9' })
        .redis,
    ).toEqual({
      kind: 'standalone',
      options: { host: 'h', port: 6379, password: 'url-pw', db: 4 },
    });
  });
});

describe('parseRedisUrl', () => {
  it('takes a bare host name, and refuses an empty one', () => {
    expect(parseRedisUrl('cache-1')).toEqual({ host: 'cache-1' });
    expect(() => parseRedisUrl('')).toThrow('REDIS_URL is not a host name: ""');
    expect(() => parseRedisUrl('cache/1')).toThrow('REDIS_URL is not a host name: "cache/1"');
  });

  it('reads an IPv6 host, any case of the scheme, and a URL with no port, user or db', () => {
    expect(parseRedisUrl('redis://[::1]:7001')).toEqual({ host: '::1', port: 7001 });
    expect(parseRedisUrl('REDIS://cache')).toEqual({ host: 'cache' });
    expect(parseRedisUrl('redis://cache/')).toEqual({ host: 'cache' });
    expect(parseRedisUrl('Rediss://cache')).toEqual({ host: 'cache', tls: {} });
  });

  it('refuses a URL without a host, or one that is not a URL', () => {
    expect(() => parseRedisUrl('redis://:pw@/0')).toThrow(/^REDIS_URL/);
    expect(() => parseRedisUrl('redis://a b')).toThrow('REDIS_URL is not a valid redis:// URL');
    expect(() => parseRedisUrl('redis://cache:0')).toThrow(
      /REDIS_URL port must be an integer from 1 to 65535/,
    );
    expect(() => parseRedisUrl('redis://cache/x')).toThrow(/REDIS_DB must be an integer/);
  });
});

describe('nodeAddress and the default node id', () => {
  it('reports an IPv4 address, and the default node id is host/address/pid', () => {
    const address = nodeAddress();
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(resolveOptions({}, {}).nodeId).toBe(`${hostname()}/${address}/${process.pid}`);
    expect(resolveOptions({}, { RCC_NODE_ID: '' }).nodeId).toBe(
      `${hostname()}/${address}/${process.pid}`,
    );
  });
});

describe('resolveOptions: lists of hosts and URLs, at their edges', () => {
  it('refuses a host list entry with anything after its port', () => {
    expect(() => resolveOptions({}, { REDIS_SENTINELS: 'a:26379x' })).toThrow(
      'REDIS_SENTINELS must be "host:port,host:port", got "a:26379x"',
    );
  });

  it('takes as a URL only what starts with redis:// or rediss://', () => {
    expect(() => parseRedisUrl('unix-redis://cache')).toThrow(
      'REDIS_URL is not a host name: "unix-redis://cache"',
    );
  });
});

describe('nodeAddress', () => {
  // The module object itself (not an import's copy of it), so that the spy is what the code calls.
  const os = jest.requireActual<typeof import('node:os')>('node:os');
  const interfaces = (list: Partial<NetworkInterfaceInfo>[]) =>
    jest
      .spyOn(os, 'networkInterfaces')
      .mockReturnValue({ list } as ReturnType<typeof os.networkInterfaces>);
  afterEach(() => jest.restoreAllMocks());

  it('is the first IPv4 address that is not internal', () => {
    interfaces([
      { family: 'IPv4', address: '127.0.0.1', internal: true },
      { family: 'IPv6', address: 'fe80::1', internal: false },
      { family: 'IPv4', address: '10.0.0.5', internal: false },
      { family: 'IPv4', address: '10.0.0.6', internal: false },
    ]);
    expect(nodeAddress()).toBe('10.0.0.5');
  });

  it('is 127.0.0.1 when there is none', () => {
    interfaces([
      { family: 'IPv4', address: '127.0.0.2', internal: true },
      { family: 'IPv6', address: 'fe80::1', internal: false },
    ]);
    expect(nodeAddress()).toBe('127.0.0.1');
  });
});

describe('RESOLVED_REDIS_CONFIG_OPTIONS', () => {
  it('is a registered symbol: two copies of the package name the same provider', () => {
    expect(RESOLVED_REDIS_CONFIG_OPTIONS).toBe(Symbol.for('@rcc/redis-config:resolved-options'));
  });
});
