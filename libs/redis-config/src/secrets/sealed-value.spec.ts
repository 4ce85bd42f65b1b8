import { randomBytes } from 'node:crypto';
import { EncryptionKeyRing } from './encryption-key-ring';
import { looksSealed, parseSealed, SEALED_PREFIX, sealedKeyId } from './sealed-value';

const ring = EncryptionKeyRing.parse(`k1=${randomBytes(32).toString('base64')}`)!;
const sealed = ring.seal('value', 'g', 'api_key');
const payload = sealed.slice(`${SEALED_PREFIX}k1:`.length);

describe('sealedKeyId', () => {
  it('names the key id before the payload, or none when there is no valid one', () => {
    expect(sealedKeyId(sealed)).toBe('k1');
    expect(sealedKeyId(`${SEALED_PREFIX}k1`)).toBeNull(); // no colon: no key id at all
    expect(sealedKeyId(`${SEALED_PREFIX}:${payload}`)).toBeNull();
    expect(sealedKeyId(`${SEALED_PREFIX}bad id:${payload}`)).toBeNull();
  });
});

describe('parseSealed', () => {
  it('takes a sealed value apart', () => {
    const parts = parseSealed(sealed)!;
    expect(parts.keyId).toBe('k1');
    expect(parts.iv).toHaveLength(12);
    expect(parts.tag).toHaveLength(16);
    expect(parts.ciphertext.length).toBeGreaterThan(0);
  });

  it('refuses another prefix, a bad key id, and a payload with anything around its base64', () => {
    expect(looksSealed(`rcc:enc:v2:k1:${payload}`)).toBe(false);
    expect(parseSealed(`rcc:enc:v2:k1:${payload}`)).toBeNull();
    expect(parseSealed(`${SEALED_PREFIX}bad id:${payload}`)).toBeNull();
    expect(parseSealed(`${SEALED_PREFIX}k1:*${payload}`)).toBeNull();
    expect(parseSealed(`${SEALED_PREFIX}k1:${payload}*`)).toBeNull();
    expect(parseSealed(`${SEALED_PREFIX}k1:${payload}===`)).toBeNull();
  });

  it('is what a ring reports as not well-formed, naming the key id when there is one', () => {
    expect(() => ring.open(`${SEALED_PREFIX}k1:*${payload}`, 'g', 'api_key')).toThrow(
      expect.objectContaining({ keyId: 'k1', reason: 'is not a well-formed encrypted value' }),
    );
    expect(() => ring.open(`${SEALED_PREFIX}bad id:${payload}`, 'g', 'api_key')).toThrow(
      expect.objectContaining({ keyId: null, reason: 'is not a well-formed encrypted value' }),
    );
  });
});
