import { DEFAULT_SECRET_KEYS } from '../secrets/secret-keys';
import { DEFAULT_BODY_LIMIT_BYTES, resolveAdminSettings } from './admin-settings';

describe('resolveAdminSettings', () => {
  it('defaults: port 8079, 1 MiB bodies, JSON logs, microservice on, one generated token', () => {
    const settings = resolveAdminSettings({});
    expect(settings).toMatchObject({
      port: 8079,
      host: null,
      bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
      writeRateLimit: 300,
      microservice: true,
      logFormat: 'json',
      tokenGenerated: true,
    });
    expect(DEFAULT_BODY_LIMIT_BYTES).toBe(1024 * 1024);
    expect(settings.tokens).toEqual([
      { label: 'admin', token: expect.stringMatching(/^[\w-]{43}$/) },
    ]);
    expect(resolveAdminSettings({}).tokens[0].token).not.toBe(settings.tokens[0].token);
  });

  it('reads every variable', () => {
    const settings = resolveAdminSettings({
      ADMIN_PORT: '9000',
      ADMIN_HOST: '127.0.0.1',
      ADMIN_TOKEN: 'main-token-0123456789',
      ADMIN_TOKEN_LABEL: 'ops',
      ADMIN_TOKENS: 'alice:a-token-0123456789, bob:b:token-0123456789',
      ADMIN_BODY_LIMIT: '2048',
      ADMIN_WRITE_RATE_LIMIT: '0',
      ADMIN_MICROSERVICE: 'false',
      LOG_FORMAT: 'text',
      LOG_LEVEL: 'debug',
      RCC_SECRET_KEYS: '*key*,pin',
      RCC_ENVIRONMENTS: 'staging=redis://stg:6379,production=redis://prd:6380',
      RCC_PROTECTED_ENVIRONMENTS: 'production',
    });
    expect(settings).toEqual({
      port: 9000,
      host: '127.0.0.1',
      tokens: [
        { label: 'ops', token: 'main-token-0123456789' },
        { label: 'alice', token: 'a-token-0123456789' },
        { label: 'bob', token: 'b:token-0123456789' },
      ],
      tokenGenerated: false,
      bodyLimitBytes: 2048,
      writeRateLimit: 0,
      microservice: false,
      logFormat: 'text',
      logLevel: 'debug',
      secretKeys: '*key*,pin',
      environments: [
        expect.objectContaining({
          name: 'staging',
          redis: expect.objectContaining({ host: 'stg' }),
        }),
        expect.objectContaining({ name: 'production', namespace: null }),
      ],
      protectedEnvironments: 'production',
    });
  });

  it('masks the usual credential names by default; an empty RCC_SECRET_KEYS masks none', () => {
    expect(resolveAdminSettings({}).secretKeys).toBe(DEFAULT_SECRET_KEYS);
    // `RCC_SECRET_KEYS=` is a choice (no secret keys), not a blank to fill with the default.
    expect(resolveAdminSettings({ RCC_SECRET_KEYS: '' }).secretKeys).toBe('');
  });

  it.each([
    [{ ADMIN_PORT: '80a' }, /ADMIN_PORT/],
    [{ ADMIN_PORT: '70000' }, /ADMIN_PORT/],
    [{ ADMIN_BODY_LIMIT: '10' }, /ADMIN_BODY_LIMIT/],
    [{ ADMIN_WRITE_RATE_LIMIT: '-1' }, /ADMIN_WRITE_RATE_LIMIT/],
    [{ ADMIN_MICROSERVICE: 'maybe' }, /ADMIN_MICROSERVICE/],
    [{ LOG_FORMAT: 'xml' }, /LOG_FORMAT/],
    [{ RCC_SECRET_KEYS: Array(33).fill('k').join(',') }, /RCC_SECRET_KEYS/],
    [{ RCC_SECRET_KEYS: 'x'.repeat(129) }, /RCC_SECRET_KEYS/],
    [{ ADMIN_TOKEN_LABEL: 'bad label', ADMIN_TOKEN: 't' }, /ADMIN_TOKEN_LABEL/],
    [{ ADMIN_TOKENS: 'no-separator' }, /ADMIN_TOKENS/],
    [{ ADMIN_TOKENS: 'a:same-0123456789abc,b:same-0123456789abc' }, /share one token/],
    [{ ADMIN_TOKEN: 'short-token' }, /ADMIN_TOKEN: a token must be 16-512/],
    [{ ADMIN_TOKENS: 'ci:short' }, /ADMIN_TOKENS \("ci"\): a token must be 16-512/],
    [{ RCC_ENVIRONMENTS: 'staging' }, /RCC_ENVIRONMENTS: entry 1/],
    [
      { RCC_ENVIRONMENTS: 'a=redis://x', REDIS_SENTINELS: 's:26379' },
      /RCC_ENVIRONMENTS gives each environment its connection: unset REDIS_SENTINELS/,
    ],
    [
      { RCC_ENVIRONMENTS: 'a=redis://x', RCC_PROTECTED_ENVIRONMENTS: 'b' },
      /RCC_PROTECTED_ENVIRONMENTS: "b" is not an environment of this admin \(known: a\)/,
    ],
    [{ RCC_PROTECTED_ENVIRONMENTS: 'production' }, /\(known: PRODUCTION\)/],
  ])('refuses %p naming the variable', (env, message) => {
    expect(() => resolveAdminSettings(env)).toThrow(message);
  });

  it('never repeats a refused token in its message', () => {
    const secret = 'has space';
    expect(() => resolveAdminSettings({ ADMIN_TOKEN: secret })).toThrow(/ADMIN_TOKEN/);
    try {
      resolveAdminSettings({ ADMIN_TOKEN: secret });
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});
