import { randomBytes } from 'node:crypto';
import { SecretDecryptionError } from '../errors';
import { openConfig, openConfigWherePossible, sealConfig, sealedKeys } from './config-secrets';
import { EncryptionKeyRing } from './encryption-key-ring';

const ring = (id: string) =>
  EncryptionKeyRing.parse(`${id}=${randomBytes(32).toString('base64')}`)!;
const everyKey = () => true;

describe('sealedKeys', () => {
  it('lists only the top-level keys whose values are sealed', () => {
    const stored = { ...sealConfig({ api_key: 'a', token: 'b' }, ring('k1'), everyKey, 'g') };
    expect(sealedKeys({ ...stored, timeout: 5, url: 'http://x' })).toEqual(['api_key', 'token']);
    expect(sealedKeys({ timeout: 5 })).toEqual([]);
  });
});

describe('openConfig', () => {
  it('reports a key it does not hold as a SecretDecryptionError naming group, version and key', () => {
    const stored = sealConfig({ api_key: 'sk-1' }, ring('old'), everyKey, 'orders');
    const attempt = () => openConfig(stored, ring('new'), 'orders', 3);
    expect(attempt).toThrow(SecretDecryptionError);
    expect(attempt).toThrow(
      'Group "orders" version 3 key "api_key" (key id "old"): is encrypted with a key that ' +
        'RCC_ENCRYPTION_KEY does not hold (it holds key id "new")',
    );
  });
});

describe('openConfigWherePossible', () => {
  it('opens what its keys open and keeps the rest as stored', () => {
    const mine = ring('mine');
    const stored: Record<string, unknown> = {
      ...sealConfig({ api_key: 'sk-mine' }, mine, everyKey, 'g'),
      ...sealConfig({ token: 'tok-other' }, ring('other'), everyKey, 'g'),
      timeout: 5,
    };
    expect(openConfigWherePossible(stored, mine, 'g')).toEqual({
      api_key: 'sk-mine',
      token: stored.token,
      timeout: 5,
    });
  });

  it('keeps every sealed value as stored when it has no key at all', () => {
    const stored = { ...sealConfig({ api_key: 'sk' }, ring('k'), everyKey, 'g'), timeout: 5 };
    expect(openConfigWherePossible(stored, null, 'g')).toEqual(stored);
  });
});
