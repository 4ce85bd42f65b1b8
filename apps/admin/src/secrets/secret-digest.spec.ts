import { randomBytes } from 'node:crypto';
import { secretDigests } from './secret-digest';

const isSecret = (key: string) => /secret|apikey/i.test(key);

describe('secretDigests', () => {
  const hmacKey = randomBytes(32);

  it('has one digest per secret key, and none for the others', () => {
    const digests = secretDigests(
      { apikey: 'abcd', secret: 7, timeout: 5 },
      isSecret,
      hmacKey,
      'g',
    );
    expect(Object.keys(digests).sort()).toEqual(['apikey', 'secret']);
    for (const digest of Object.values(digests)) expect(digest).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });

  it('tells a changed short secret (all of them mask to "••••") from an unchanged one', () => {
    const before = secretDigests({ apikey: 'abcd' }, isSecret, hmacKey, 'g');
    expect(secretDigests({ apikey: 'abcd' }, isSecret, hmacKey, 'g')).toEqual(before);
    expect(secretDigests({ apikey: 'abce' }, isSecret, hmacKey, 'g').apikey).not.toBe(
      before.apikey,
    );
    // Long secrets with the same last 4 characters share a mask, not a digest.
    const long = (value: string) => secretDigests({ apikey: value }, isSecret, hmacKey, 'g').apikey;
    expect(long('first-secret-1234')).not.toBe(long('other-secret-1234'));
  });

  it('tells the string "1" from the number 1, and a null from a missing key', () => {
    const of = (value: unknown) => secretDigests({ apikey: value }, isSecret, hmacKey, 'g').apikey;
    expect(of('1')).not.toBe(of(1));
    expect(secretDigests({}, isSecret, hmacKey, 'g')).toEqual({});
  });

  it('is keyed: without the key a digest cannot be recomputed from a guess', () => {
    const value = { apikey: 'abcd' };
    expect(secretDigests(value, isSecret, randomBytes(32), 'g').apikey).not.toBe(
      secretDigests(value, isSecret, hmacKey, 'g').apikey,
    );
  });

  it('differs between groups and keys holding the same value', () => {
    const same = { apikey: 'shared-value', client_secret: 'shared-value' };
    const inA = secretDigests(same, isSecret, hmacKey, 'a');
    const inB = secretDigests(same, isSecret, hmacKey, 'b');
    expect(inA.apikey).not.toBe(inB.apikey);
    expect(inA.apikey).not.toBe(inA.client_secret);
  });

  it('keeps a "__proto__" key as data', () => {
    const config = JSON.parse('{"__proto__": "x", "apikey": "y"}') as Record<string, unknown>;
    const digests = secretDigests(config, () => true, hmacKey, 'g');
    expect(Object.hasOwn(digests, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(digests)).toBe(Object.prototype);
  });
});
