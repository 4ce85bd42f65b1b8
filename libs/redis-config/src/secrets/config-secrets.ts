import { SecretDecryptionError } from '../errors';
import type { EncryptionKeyRing } from './encryption-key-ring';
import { SealedValueError } from './encryption-key-ring';
import { looksSealed, sealedKeyId } from './sealed-value';

type Config = Record<string, unknown>;

/**
 * A copy of `config` as stored: the value of each top-level secret key sealed with the ring's
 * first key; a value already sealed is kept as it is (a publisher without its key passes it
 * through unchanged; nodes check it).
 */
export function sealConfig(
  config: Config,
  ring: EncryptionKeyRing,
  isSecret: (key: string) => boolean,
  group: string,
): Config {
  // fromEntries defines own properties: a `__proto__` key stays data, never a prototype.
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      isSecret(key) && !looksSealed(value) ? ring.seal(value, group, key) : value,
    ]),
  );
}

/** The top-level keys of `config` whose values are sealed. */
export function sealedKeys(config: Config): string[] {
  return Object.keys(config).filter((key) => looksSealed(config[key]));
}

/**
 * A copy of `config` with every sealed top-level value opened (whatever its key: the publisher's
 * globs decided). Throws {@link SecretDecryptionError} for the first value that cannot be opened,
 * naming the group, version, key and key id; `ring` null: this side has no key at all.
 */
export function openConfig(
  config: Config,
  ring: EncryptionKeyRing | null,
  group: string,
  version: number | null = null,
): Config {
  if (!sealedKeys(config).length) return config;
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      if (!looksSealed(value)) return [key, value];
      if (!ring) {
        throw new SecretDecryptionError(
          group,
          key,
          sealedKeyId(value),
          'is encrypted, and RCC_ENCRYPTION_KEY is not set here',
          version,
        );
      }
      try {
        return [key, ring.open(value, group, key)];
      } catch (error) {
        if (!(error instanceof SealedValueError)) throw error;
        throw new SecretDecryptionError(group, key, error.keyId, error.reason, version);
      }
    }),
  );
}

/**
 * `openConfig` for a publisher's reads: a value it cannot open stays sealed (and masked as any
 * secret), so that a group saved back keeps it exactly; the nodes are the ones that refuse it.
 */
export function openConfigWherePossible(
  config: Config,
  ring: EncryptionKeyRing | null,
  group: string,
): Config {
  if (!ring || !sealedKeys(config).length) return config;
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      if (!looksSealed(value)) return [key, value];
      try {
        return [key, ring.open(value, group, key)];
      } catch {
        return [key, value];
      }
    }),
  );
}
