/**
 * A secret value stored encrypted (`rcc:enc:v1:…`) that cannot be decrypted here: the key id is
 * not among the keys given (`RCC_ENCRYPTION_KEY`), none is given, or the value does not
 * authenticate (a wrong key under that id, or a tampered value). Names where, never the value.
 */
export class SecretDecryptionError extends Error {
  /** Always `'SecretDecryptionError'`. */
  override readonly name = 'SecretDecryptionError';

  constructor(
    /** The group holding the value. */
    readonly group: string,
    /** The top-level key holding the value. */
    readonly key: string,
    /** The key id the value names; null when the value is not even well-formed. */
    readonly keyId: string | null,
    /** Why, without the value. */
    readonly reason: string,
    /** The version of the group, when known. */
    readonly version: number | null = null,
  ) {
    super(
      `Group "${group}"${version === null ? '' : ` version ${version}`} key "${key}"` +
        `${keyId === null ? '' : ` (key id "${keyId}")`}: ${reason}`,
    );
  }
}
