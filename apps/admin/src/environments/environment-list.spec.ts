import { parseEnvironments, parseProtectedEnvironments } from './environment-list';

describe('RCC_ENVIRONMENTS', () => {
  it('is null when unset or blank: one environment on the usual connection', () => {
    expect(parseEnvironments(undefined)).toBeNull();
    expect(parseEnvironments('  ')).toBeNull();
  });

  it('reads plain, TLS, Sentinel and Cluster URLs in order, each with an optional namespace', () => {
    const environments = parseEnvironments(
      'staging=redis://redis-staging:6379/2?namespace=rcc::staging,' +
        'production=rediss://:p%40ss@redis-prod:6380,' +
        'eu=redis-sentinel://:pw@s1:26379,s2:26380/mymaster,' +
        'big=redis-cluster://c1:7000,c2:7001?namespace=big',
    );
    expect(environments?.map((env) => env.name)).toEqual(['staging', 'production', 'eu', 'big']);
    expect(environments?.[0]).toMatchObject({
      namespace: 'rcc::staging',
      redis: { host: 'redis-staging', port: 6379, db: 2, password: undefined, tls: undefined },
    });
    expect(environments?.[1]).toMatchObject({
      namespace: null,
      redis: { host: 'redis-prod', port: 6380, password: 'p@ss', tls: {} },
    });
    expect(environments?.[2].redis).toMatchObject({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      name: 'mymaster',
      password: 'pw',
    });
    expect(environments?.[3]).toMatchObject({
      namespace: 'big',
      redis: {
        clusterNodes: [
          { host: 'c1', port: 7000 },
          { host: 'c2', port: 7001 },
        ],
      },
    });
  });

  it.each([
    ['staging', /entry 1 must be name=redis/],
    ['1st=redis://a', /entry 1/],
    ['a=redis://x,a=redis://y', /"a" is given twice/],
    ['a=http://x', /environment "a": the URL must start with redis:\/\//],
    ['a=redis://x:99999', /environment "a": a port must be 1-65535/],
    ['a=redis://x?db=1', /unknown URL parameter "db"/],
    ['a=redis://x?namespace=', /\?namespace= must be/],
    ['a=redis-sentinel://x:1', /ends with \/<master name>/],
    ['a=redis://x:1,y:2', /takes one host/],
  ])('refuses %j naming the environment and never the URL', (raw, message) => {
    const secret = 'sup3rsecret';
    const withSecret = raw.replace('://', `://:${secret}@`);
    expect(() => parseEnvironments(withSecret)).toThrow(message);
    try {
      parseEnvironments(withSecret);
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});

describe('RCC_PROTECTED_ENVIRONMENTS', () => {
  it('takes names among the environments; an unknown one names the known ones', () => {
    expect(parseProtectedEnvironments('production', ['staging', 'production'])).toEqual([
      'production',
    ]);
    expect(parseProtectedEnvironments(undefined, ['PRODUCTION'])).toEqual([]);
    expect(() => parseProtectedEnvironments('prod', ['staging', 'production'])).toThrow(
      '"prod" is not an environment of this admin (known: staging, production)',
    );
  });
});
