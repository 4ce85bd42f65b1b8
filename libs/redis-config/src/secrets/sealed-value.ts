/**
 * The stored form of an encrypted secret value, a JSON string in `config_dict`:
 *
 * `rcc:enc:v1:<keyId>:<base64 of iv (12 bytes) | tag (16 bytes) | ciphertext>`
 *
 * The ciphertext is AES-256-GCM of the value's JSON text (so any JSON value can be sealed); the
 * additional authenticated data binds it to its version tag, key id, group and top-level key, so
 * a sealed value copied under another key or group does not decrypt.
 */
export const SEALED_PREFIX = 'rcc:enc:v1:';

/** Key ids: what `id=` may name, and what the derived ones (8 hex digits) are. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;

export const IV_BYTES = 12;
export const TAG_BYTES = 16;

/** A sealed value taken apart (not yet authenticated). */
export interface SealedParts {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** True for a value in the stored encrypted form (well-formed or not: it must never be served). */
export function looksSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

/** The key id a sealed value names, or null when it names none that could be valid. */
export function sealedKeyId(value: string): string | null {
  const rest = value.slice(SEALED_PREFIX.length);
  const colon = rest.indexOf(':');
  const keyId = colon < 0 ? '' : rest.slice(0, colon);
  return KEY_ID_PATTERN.test(keyId) ? keyId : null;
}

/** The parts of a sealed value, or null when it is not well-formed. */
export function parseSealed(value: string): SealedParts | null {
  if (!looksSealed(value)) return null;
  const keyId = sealedKeyId(value);
  if (keyId === null) return null;
  const payload = value.slice(SEALED_PREFIX.length + keyId.length + 1);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(payload)) return null;
  const bytes = Buffer.from(payload, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) return null;
  return {
    keyId,
    iv: bytes.subarray(0, IV_BYTES),
    tag: bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    ciphertext: bytes.subarray(IV_BYTES + TAG_BYTES),
  };
}

/** The stored form of sealed parts. */
export function formatSealed({ keyId, iv, tag, ciphertext }: SealedParts): string {
  return `${SEALED_PREFIX}${keyId}:${Buffer.concat([iv, tag, ciphertext]).toString('base64')}`;
}

/** What the tag authenticates besides the ciphertext: where the value belongs. */
export function sealedContext(keyId: string, group: string, key: string): Buffer {
  return Buffer.from(`${SEALED_PREFIX}${keyId}\n${JSON.stringify([group, key])}`, 'utf8');
}
