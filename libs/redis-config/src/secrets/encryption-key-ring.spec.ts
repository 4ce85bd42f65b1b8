import { createCipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { SecretDecryptionError } from '../errors';
import { openConfig, openConfigWherePossible, sealConfig } from './config-secrets';
import { derivedKeyId, EncryptionKeyRing } from './encryption-key-ring';
import { formatSealed, parseSealed, SEALED_PREFIX, sealedContext } from './sealed-value';

const newKey = () => randomBytes(32).toString('base64');
const ring = (raw: string) => EncryptionKeyRing.parse(raw)!;
const isSecret = (key: string) => /key|password/i.test(key);

describe('EncryptionKeyRing', () => {
  const oldKey = newKey();
  const currentKey = newKey();

  it('round-trips any JSON value, with a fresh IV each time', () => {
    const keys = ring(currentKey);
    for (const value of [
      'sk-live-1234567890',
      '',
      42,
      null,
      [1, 'a'],
      { nested: { deep: true } },
    ]) {
      const sealed = keys.seal(value, 'orders', 'api_key');
      expect(sealed.startsWith(`${SEALED_PREFIX}${keys.sealingId}:`)).toBe(true);
      expect(keys.open(sealed, 'orders', 'api_key')).toEqual(value);
    }
    const a = keys.seal('same', 'g', 'k');
    const b = keys.seal('same', 'g', 'k');
    expect(a).not.toBe(b);
    expect(parseSealed(a)!.iv).toHaveLength(12);
    expect(parseSealed(a)!.tag).toHaveLength(16);
  });

  it('never holds the clear text in the stored form', () => {
    const sealed = ring(currentKey).seal('sk-live-VISIBLE', 'g', 'api_key');
    expect(sealed).not.toContain('VISIBLE');
    expect(Buffer.from(sealed.split(':').pop()!, 'base64').toString('latin1')).not.toContain(
      'VISIBLE',
    );
  });

  it('derives a stable 8-hex key id, or takes the one given as id=base64', () => {
    const bytes = randomBytes(32);
    expect(ring(bytes.toString('base64')).sealingId).toBe(derivedKeyId(bytes));
    expect(derivedKeyId(bytes)).toMatch(/^[0-9a-f]{8}$/);
    expect(ring(`2026-q4=${bytes.toString('base64')}`).sealingId).toBe('2026-q4');
    // URL-safe and unpadded base64 name the same key.
    expect(ring(bytes.toString('base64url')).sealingId).toBe(derivedKeyId(bytes));
  });

  it('rotates: the first key encrypts, an older one still decrypts', () => {
    const before = ring(oldKey);
    const sealedBefore = before.seal('v1-secret', 'g', 'api_key');
    const rotated = ring(`${currentKey},${oldKey}`);
    expect(rotated.ids).toEqual([ring(currentKey).sealingId, before.sealingId]);
    expect(rotated.open(sealedBefore, 'g', 'api_key')).toBe('v1-secret');
    const sealedAfter = rotated.seal('v2-secret', 'g', 'api_key');
    expect(parseSealed(sealedAfter)!.keyId).toBe(ring(currentKey).sealingId);
    // Once the old key is dropped, what it sealed no longer opens, and says which key is missing.
    expect(() => ring(currentKey).open(sealedBefore, 'g', 'api_key')).toThrow(
      expect.objectContaining({
        keyId: before.sealingId,
        message: expect.stringMatching(/a key that RCC_ENCRYPTION_KEY does not hold/),
      }),
    );
  });

  it('refuses a tampered value, a value moved to another key or group, a wrong key', () => {
    const keys = ring(currentKey);
    const sealed = keys.seal('secret-value', 'g', 'api_key');
    const parts = parseSealed(sealed)!;
    const flipped = Buffer.concat([parts.iv, parts.tag, parts.ciphertext]);
    flipped[flipped.length - 1] ^= 1;
    const tampered = `${SEALED_PREFIX}${parts.keyId}:${flipped.toString('base64')}`;
    expect(() => keys.open(tampered, 'g', 'api_key')).toThrow(/does not authenticate/);
    expect(() => keys.open(sealed, 'g', 'db_password')).toThrow(/does not authenticate/);
    expect(() => keys.open(sealed, 'other', 'api_key')).toThrow(/does not authenticate/);
    const sameIdOtherKey = ring(`${parts.keyId}=${newKey()}`);
    expect(() => sameIdOtherKey.open(sealed, 'g', 'api_key')).toThrow(/does not authenticate/);
    expect(() => keys.open(`${SEALED_PREFIX}${parts.keyId}:not*base64`, 'g', 'api_key')).toThrow(
      /not a well-formed/,
    );
    expect(() => keys.open(`${SEALED_PREFIX}${parts.keyId}:AAAA`, 'g', 'api_key')).toThrow(
      /not a well-formed/,
    );
  });

  it('opens an older value of the same group and key: the version is not bound (documented)', () => {
    // SECURITY.md, "Limits": whoever can write the hash can put back an older ciphertext, as it
    // can write any value in clear; binding the version would protect nothing more.
    const keys = ring(currentKey);
    const older = keys.seal('secret-v1', 'g', 'api_key');
    keys.seal('secret-v2', 'g', 'api_key');
    expect(keys.open(older, 'g', 'api_key')).toBe('secret-v1');
  });

  it('never shows a key: not in JSON, inspect, or an error message', () => {
    const key = newKey();
    const keys = ring(key);
    expect(JSON.stringify({ keys })).not.toContain(key.slice(0, 20));
    expect(require('node:util').inspect(keys, { showHidden: true, depth: 5 })).not.toContain(
      key.slice(0, 20),
    );
    const short = randomBytes(16).toString('base64');
    let message = '';
    try {
      EncryptionKeyRing.parse(`${key},${short}`);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /^RCC_ENCRYPTION_KEY: key 2 of 2 must be 32 bytes.*decodes to 16 bytes/,
    );
    expect(message).not.toContain(short);
    expect(message).not.toContain(key);
  });

  it.each([
    ['too short', Buffer.alloc(16, 1).toString('base64'), /must be 32 bytes/],
    ['too long', Buffer.alloc(48, 1).toString('base64'), /must be 32 bytes/],
    ['not base64', `${'!'.repeat(43)}=`, /not base64/],
    ['a hex key', randomBytes(32).toString('hex'), /must be 32 bytes/],
    ['an empty entry', `${Buffer.alloc(32, 1).toString('base64')},`, /key 2 of 2 is empty/],
    ['a bad id', `bad id=${Buffer.alloc(32, 1).toString('base64')}`, /id that is not/],
    [
      'a repeated key',
      `${Buffer.alloc(32, 1).toString('base64')},${Buffer.alloc(32, 1).toString('base64')}`,
      /repeats the key id/,
    ],
  ])('rejects %s, naming the variable', (_what, raw, message) => {
    expect(() => EncryptionKeyRing.parse(raw)).toThrow(/^RCC_ENCRYPTION_KEY: /);
    expect(() => EncryptionKeyRing.parse(raw)).toThrow(message);
  });

  it('takes unset or blank for "no encryption"', () => {
    expect(EncryptionKeyRing.parse(undefined)).toBeNull();
    expect(EncryptionKeyRing.parse('  ')).toBeNull();
    expect(EncryptionKeyRing.parse([])).toBeNull();
  });
});

describe('sealConfig / openConfig', () => {
  const keys = ring(newKey());

  it('seals only secret keys, keeps sealed values, and opens every sealed value', () => {
    const config = { api_key: 'sk-1', db_password: { user: 'a' }, timeout: 5, url: 'http://x' };
    const stored = sealConfig(config, keys, isSecret, 'g');
    expect(stored.timeout).toBe(5);
    expect(stored.url).toBe('http://x');
    expect(String(stored.api_key).startsWith(SEALED_PREFIX)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain('sk-1');
    expect(sealConfig(stored, keys, isSecret, 'g')).toEqual(stored);
    expect(openConfig(stored, keys, 'g')).toEqual(config);
  });

  it('names group, version, key and key id when it cannot open, never the value', () => {
    const stored = sealConfig({ api_key: 'sk-secret-1' }, keys, isSecret, 'g');
    const attempt = () => openConfig(stored, null, 'g', 7);
    expect(attempt).toThrow(SecretDecryptionError);
    expect(attempt).toThrow(
      `Group "g" version 7 key "api_key" (key id "${keys.sealingId}"): is encrypted, and RCC_ENCRYPTION_KEY is not set here`,
    );
    expect(() => openConfig(stored, ring(newKey()), 'g')).toThrow(/does not hold/);
    // A publisher's read keeps what it cannot open as it is.
    expect(openConfigWherePossible(stored, ring(newKey()), 'g')).toEqual(stored);
  });
});

describe('EncryptionKeyRing.parse, entry by entry', () => {
  const bytes = (fill: number) => Buffer.alloc(32, fill).toString('base64');

  it('takes a list as well as one comma-separated string, trimming each entry', () => {
    expect(EncryptionKeyRing.parse([`a=${bytes(1)}`, ` b=${bytes(2)} `])!.ids).toEqual(['a', 'b']);
    expect(EncryptionKeyRing.parse(`a=${bytes(1)}, b=${bytes(2)}`)!.ids).toEqual(['a', 'b']);
  });

  it('holds up to 16 keys, and refuses more', () => {
    const keys = (count: number) => Array.from({ length: count }, (_, i) => `k${i}=${bytes(i)}`);
    expect(EncryptionKeyRing.parse(keys(16))!.ids).toHaveLength(16);
    expect(() => EncryptionKeyRing.parse(keys(17))).toThrow(
      'RCC_ENCRYPTION_KEY: holds 17 keys; at most 16',
    );
  });

  it('says "the key" when there is one, and names the variable it was given', () => {
    expect(() => EncryptionKeyRing.parse('short')).toThrow(
      /^RCC_ENCRYPTION_KEY: the key must be 32 bytes of base64/,
    );
    expect(() => EncryptionKeyRing.parse('short', 'KEYS_FILE')).toThrow(/^KEYS_FILE: the key /);
  });

  it('refuses an entry that is not a string (a list from JavaScript)', () => {
    expect(() => EncryptionKeyRing.parse([bytes(1), 42 as unknown as string])).toThrow(
      'RCC_ENCRYPTION_KEY: key 2 of 2 is not a string',
    );
  });

  it('refuses "=" where it is neither an id separator nor padding', () => {
    expect(() => EncryptionKeyRing.parse(`=${bytes(1)}`)).toThrow(/the key is not base64/);
    const unpadded = bytes(1).replace(/=+$/, ''); // 43 characters
    expect(() => EncryptionKeyRing.parse(`${unpadded.slice(0, 42)}=${unpadded.slice(42)}`)).toThrow(
      /the key is not base64/,
    );
  });

  it('refuses base64 whose last character carries stray bits (not the canonical text)', () => {
    const canonical = bytes(0); // 43 × "A" then "="
    expect(() => EncryptionKeyRing.parse(`${canonical.slice(0, 42)}B=`)).toThrow(
      'RCC_ENCRYPTION_KEY: the key is not canonical base64 of 32 bytes',
    );
  });
});

describe('EncryptionKeyRing.open, why not', () => {
  const raw = Buffer.alloc(32, 9);
  const keys = EncryptionKeyRing.parse(`k1=${raw.toString('base64')},k2=${newKey()}`)!;

  it('names the key ids it holds when the value names another', () => {
    const sealed = ring(`other=${newKey()}`).seal('v', 'g', 'api_key');
    let error: unknown;
    try {
      keys.open(sealed, 'g', 'api_key');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      name: 'SealedValueError',
      keyId: 'other',
      message:
        'is encrypted with a key that RCC_ENCRYPTION_KEY does not hold (it holds key id "k1", "k2")',
    });
  });

  it('says what may have happened when a value does not authenticate', () => {
    const sealed = keys.seal('v', 'g', 'api_key');
    expect(() => keys.open(sealed, 'g', 'other_key')).toThrow(
      'does not authenticate with the key of that id (a different key under that id, ' +
        'a value moved from another group or key, or a tampered value)',
    );
  });

  it('refuses a value that decrypts to text that is not JSON', () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', raw, iv, { authTagLength: 16 });
    cipher.setAAD(sealedContext('k1', 'g', 'api_key'));
    const ciphertext = Buffer.concat([cipher.update('not json', 'utf8'), cipher.final()]);
    const sealed = formatSealed({ keyId: 'k1', iv, tag: cipher.getAuthTag(), ciphertext });
    expect(() => keys.open(sealed, 'g', 'api_key')).toThrow(
      expect.objectContaining({ keyId: 'k1', reason: 'decrypts to text that is not JSON' }),
    );
  });

  it('seals undefined as null (JSON has no undefined)', () => {
    expect(keys.open(keys.seal(undefined, 'g', 'k'), 'g', 'k')).toBeNull();
  });
});

describe('EncryptionKeyRing.has', () => {
  it('says which key ids it holds', () => {
    const keys = ring(`a=${newKey()},b=${newKey()}`);
    expect([keys.has('a'), keys.has('b'), keys.has('c')]).toEqual([true, true, false]);
  });
});

describe('EncryptionKeyRing printed', () => {
  it('shows its ids, in order, in JSON and in inspect', () => {
    const keys = ring(`a=${newKey()},b=${newKey()}`);
    expect(keys.toJSON()).toEqual({ keyIds: ['a', 'b'] });
    expect(JSON.parse(JSON.stringify({ keys }))).toEqual({ keys: { keyIds: ['a', 'b'] } });
    expect(inspect(keys)).toBe("EncryptionKeyRing { ids: ['a', 'b'] }");
  });
});
