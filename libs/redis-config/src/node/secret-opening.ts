import { SecretDecryptionError } from '../errors';
import { openConfig, sealConfig, sealedKeys } from '../secrets/config-secrets';
import type { EncryptionKeyRing } from '../secrets/encryption-key-ring';
import type { ConfigDict, ConfigGroupRecord } from '../wire/config-group-record';

/**
 * The keys each opened config held encrypted, by config object (frozen and kept as is by the node
 * state): the snapshot seals them again, whatever this node's `RCC_SECRET_KEYS` says.
 */
const openedKeys = new WeakMap<object, readonly string[]>();

/**
 * A stored record's config with its encrypted values decrypted in memory, or why this node cannot
 * (no key, an unknown key id, a wrong key or a tampered value): the node then refuses the version
 * as it refuses one that fails `validate`. The problem names the key and key id, never the value.
 */
export function openSecrets(
  record: Pick<ConfigGroupRecord, 'name' | 'version' | 'config'>,
  ring: EncryptionKeyRing | null,
): { config: ConfigDict } | { problem: string } {
  const keys = sealedKeys(record.config);
  if (keys.length === 0) return { config: record.config };
  try {
    const config = openConfig(record.config, ring, record.name, record.version);
    openedKeys.set(config, keys);
    return { config };
  } catch (error) {
    if (!(error instanceof SecretDecryptionError)) throw error;
    const id = error.keyId === null ? '' : ` (key id "${error.keyId}")`;
    return { problem: `the value of "${error.key}"${id} ${error.reason}` };
  }
}

/** `config` as a snapshot keeps it: the values that were encrypted, and the secret keys, sealed. */
export function resealed(
  name: string,
  config: ConfigDict,
  ring: EncryptionKeyRing | null,
  isSecretKey: (key: string) => boolean,
): ConfigDict {
  if (!ring) return config;
  const opened = openedKeys.get(config) ?? [];
  return sealConfig(config, ring, (key) => opened.includes(key) || isSecretKey(key), name);
}
