import { randomBytes } from 'node:crypto';
import { SecretDecryptionError } from '../errors';
import { EncryptionKeyRing } from '../secrets/encryption-key-ring';
import { parseSealed } from '../secrets/sealed-value';
import { planGroupRekey, RekeyContext } from './rekey-plan';

const key = () => randomBytes(32).toString('base64');

describe('planGroupRekey', () => {
  const oldKey = key();
  const newKey = key();
  const oldRing = EncryptionKeyRing.parse(oldKey)!;
  const both = EncryptionKeyRing.parse([newKey, oldKey])!;
  const context = (historyLimit = 50): RekeyContext => ({
    ring: both,
    isSecretKey: (name) => name.includes('key'),
    historyLimit,
    updatedAt: '2026-12-01T00:00:00.000Z',
    author: 'tester',
    comment: 'rekey',
  });

  const record = (version: number, config: Record<string, unknown>, extra = {}) =>
    JSON.stringify({ group_name: 'g', group_version: version, config_dict: config, ...extra });

  it('bumps the version, re-encrypts with the first key, rewrites history in place', () => {
    const v0 = record(0, { api_key: oldRing.seal('k0', 'g', 'api_key') });
    const v1 = record(1, { api_key: oldRing.seal('k1', 'g', 'api_key'), n: 1 }, { author: 'a' });
    const write = planGroupRekey('g', v1, [v1, v0], context())!;
    expect(write.plan).toEqual({
      name: 'g',
      version: 1,
      newVersion: 2,
      values: 1,
      historyEntries: 2,
    });
    const [head, previous, first] = write.history.map(
      (raw) => JSON.parse(raw) as { group_version: number; config_dict: Record<string, string> },
    );
    expect(write.record).toBe(write.history[0]);
    expect(head).toMatchObject({ group_version: 2, author: 'tester', comment: 'rekey' });
    expect(previous).toMatchObject({ group_version: 1, author: 'a' });
    expect(first.group_version).toBe(0);
    for (const entry of [head, previous, first]) {
      expect(parseSealed(entry.config_dict.api_key)?.keyId).toBe(both.sealingId);
    }
    expect(both.open(first.config_dict.api_key, 'g', 'api_key')).toBe('k0');
    expect(both.open(head.config_dict.api_key, 'g', 'api_key')).toBe('k1');
  });

  it('keeps a version written by others in the history, as a publish does, within the limit', () => {
    const current = record(4, { api_key: 'clear-key' }); // an HSET by the old project
    const kept = record(3, { api_key: oldRing.seal('k3', 'g', 'api_key') });
    const write = planGroupRekey('g', current, [kept], context(2))!;
    expect(
      write.history.map((raw) => (JSON.parse(raw) as { group_version: number }).group_version),
    ).toEqual([5, 4]);
  });

  it('leaves a group with nothing to do alone, and a broken record too', () => {
    const done = record(0, { api_key: both.seal('k', 'g', 'api_key'), url: 'x' });
    expect(planGroupRekey('g', done, [done], context())).toBeNull();
    expect(planGroupRekey('g', '{not json', [], context())).toBeNull();
  });

  it('throws naming group, version, key and key id when no key opens a value', () => {
    const stranger = EncryptionKeyRing.parse(key())!;
    const current = record(0, { ok: 1 });
    const history = [
      record(0, { ok: 1 }),
      record(0, { my_key: stranger.seal('s', 'g', 'my_key') }),
    ];
    expect(() => planGroupRekey('g', current, history, context())).toThrow(SecretDecryptionError);
    expect(() => planGroupRekey('g', current, history, context())).toThrow(
      `Group "g" version 0 key "my_key" (key id "${stranger.sealingId}")`,
    );
  });
});
