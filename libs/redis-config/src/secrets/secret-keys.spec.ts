import { DEFAULT_SECRET_KEYS, secretKeyMatcher } from './secret-keys';

describe('secretKeyMatcher', () => {
  it('takes the usual credential names by default, in any case, and leaves the others', () => {
    const isSecret = secretKeyMatcher(DEFAULT_SECRET_KEYS);
    for (const key of ['APIKEY', 'stripe_api_key', 'client_Secret', 'DB_PASSWORD', 'authToken']) {
      expect([key, isSecret(key)]).toEqual([key, true]);
    }
    for (const key of ['timeout', 'url', 'key', 'api-key', 'pass']) {
      expect([key, isSecret(key)]).toEqual([key, false]);
    }
  });

  it('reads comma-separated globs, trimmed, case-insensitive, one code point per ?', () => {
    const isSecret = secretKeyMatcher(' db_* , pin? ');
    expect(isSecret('DB_url')).toBe(true);
    expect(isSecret('pin1')).toBe(true);
    expect(isSecret('PIN😀')).toBe(true);
    expect(isSecret('pin12')).toBe(false);
    expect(isSecret('my_db_url')).toBe(false);
  });

  it('takes an empty list as "no secret key", not as every key', () => {
    expect(secretKeyMatcher('')('password')).toBe(false);
    expect(secretKeyMatcher(' , ')('password')).toBe(false);
  });

  it('holds up to 32 globs of up to 128 characters, and refuses more, naming the variable', () => {
    const globs = (count: number) => Array.from({ length: count }, (_, i) => `k${i}`).join(',');
    expect(secretKeyMatcher(globs(32))('K31')).toBe(true);
    expect(secretKeyMatcher(`${'a'.repeat(127)}*`)('a'.repeat(130))).toBe(true);
    const refusal = 'RCC_SECRET_KEYS holds at most 32 globs of at most 128 characters';
    expect(() => secretKeyMatcher(globs(33))).toThrow(refusal);
    expect(() => secretKeyMatcher(`x,${'a'.repeat(129)}`)).toThrow(refusal);
  });
});
