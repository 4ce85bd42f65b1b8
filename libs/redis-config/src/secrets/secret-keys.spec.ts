import { DEFAULT_SECRET_KEYS, secretKeyMatcher } from './secret-keys';

describe('secretKeyMatcher', () => {
  const byDefault = secretKeyMatcher(DEFAULT_SECRET_KEYS);

  it.each([
    'apikey',
    'YOUTUBE_APIKEY',
    'youtube_api_key',
    'ClientSecret',
    'db_password',
    'PASSWORD',
    'accessToken',
    'token',
  ])('takes %p for a secret by default (any case)', (key) => {
    expect(byDefault(key)).toBe(true);
  });

  it.each(['timeout', 'api', 'key', 'url', 'pass', 'tok_en', ''])(
    'leaves %p in clear by default',
    (key) => {
      expect(byDefault(key)).toBe(false);
    },
  );

  it('matches the whole key: * is any run, ? one character', () => {
    const isSecret = secretKeyMatcher('pin, key?, *_dsn');
    expect(isSecret('PIN')).toBe(true);
    expect(isSecret('pins')).toBe(false);
    expect(isSecret('key1')).toBe(true);
    expect(isSecret('key')).toBe(false);
    expect(isSecret('key12')).toBe(false);
    expect(isSecret('sentry_dsn')).toBe(true);
    expect(isSecret('sentry_dsn_host')).toBe(false);
  });

  it('takes nothing of a glob for a regular expression', () => {
    const isSecret = secretKeyMatcher('a.b,(x|y),c+,[z]');
    expect(isSecret('a.b')).toBe(true);
    expect(isSecret('aXb')).toBe(false);
    expect(isSecret('(x|y)')).toBe(true);
    expect(isSecret('x')).toBe(false);
    expect(isSecret('c+')).toBe(true);
    expect(isSecret('cc')).toBe(false);
    expect(isSecret('[z]')).toBe(true);
    expect(isSecret('z')).toBe(false);
  });

  it('matches keys across line breaks too (a key may hold any character)', () => {
    expect(byDefault('my\nsecret')).toBe(true);
  });

  it('has no secret key for an empty or blank list', () => {
    for (const list of ['', ' ', ' , ,']) {
      const isSecret = secretKeyMatcher(list);
      expect(isSecret('apikey')).toBe(false);
      expect(isSecret('')).toBe(false);
    }
  });

  it('refuses too many or too long globs, naming the variable', () => {
    const refusal = 'RCC_SECRET_KEYS holds at most 32 globs of at most 128 characters';
    expect(() => secretKeyMatcher(Array(33).fill('k').join(','))).toThrow(refusal);
    expect(() => secretKeyMatcher('x'.repeat(129))).toThrow(refusal);
    expect(() => secretKeyMatcher(`short,${'x'.repeat(129)}`)).toThrow(refusal); // any one of them
    expect(() => secretKeyMatcher(Array(32).fill('k'.repeat(128)).join(','))).not.toThrow();
  });

  it('matches in linear time: *db*pass*word* against a 400,000-character key (issue 23, point 3)', () => {
    // The regex it replaced took 166 s on this key (backtracking over every split of the stars).
    const isSecret = secretKeyMatcher('*db*pass*word*');
    const key = 'db' + 'pass'.repeat(100_000) + 'x';
    expect(key.length).toBeGreaterThan(400_000);
    const started = performance.now();
    expect(isSecret(key)).toBe(false);
    expect(isSecret(key.slice(0, -1) + 'word')).toBe(true);
    // Stryker's instrumented copy runs several times slower (RCC_TIME_SCALE, stryker.config.js).
    expect(performance.now() - started).toBeLessThan(
      2000 * Number(process.env.RCC_TIME_SCALE ?? 1),
    );
  });

  it('folds case per character, never taking a glob character for a letter', () => {
    expect(secretKeyMatcher('*ÄPFEL*')('grüne_äpfel')).toBe(true);
    expect(secretKeyMatcher('key-?')('KEY-😀')).toBe(true);
    expect(secretKeyMatcher('a*')('A*B')).toBe(true);
  });
});
