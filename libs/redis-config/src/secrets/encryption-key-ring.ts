import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import {
  formatSealed,
  IV_BYTES,
  KEY_ID_PATTERN,
  parseSealed,
  sealedContext,
  sealedKeyId,
  TAG_BYTES,
} from './sealed-value';

const KEY_BYTES = 32;
const MAX_KEYS = 16;
const ALGORITHM = 'aes-256-gcm';

/** Why a value could not be opened: the key id it names (null: none readable) and the reason. */
export class SealedValueError extends Error {
  override readonly name = 'SealedValueError';
  constructor(
    readonly keyId: string | null,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * The encryption keys of `RCC_ENCRYPTION_KEY` (DESIGN §14): the first seals, every one opens.
 * The key bytes live in a private field and never appear in `JSON.stringify`, `inspect` or a
 * message: only their ids do.
 */
export class EncryptionKeyRing {
  readonly #keys: ReadonlyMap<string, Buffer>;
  /** The ids, the sealing one first. */
  readonly ids: readonly string[];

  private constructor(
    keys: Map<string, Buffer>,
    /** The variable the keys came from, named in the errors. */
    readonly variable: string,
  ) {
    this.#keys = keys;
    this.ids = [...keys.keys()];
  }

  /**
   * Parses `[id=]base64` entries (one string comma-separated, or a list): each 32 bytes of base64
   * (standard or URL-safe, padding optional); without `id=`, the id is the first 8 hex digits of
   * the key's SHA-256. Null when there is none. Throws naming `variable` and the entry, never
   * printing a key.
   */
  static parse(
    raw: string | readonly string[] | undefined,
    variable = 'RCC_ENCRYPTION_KEY',
  ): EncryptionKeyRing | null {
    if (raw === undefined) return null;
    const entries = typeof raw === 'string' ? (raw.trim() === '' ? [] : raw.split(',')) : [...raw];
    if (entries.length === 0) return null;
    const fail = (why: string): never => {
      throw new Error(`${variable}: ${why}`);
    };
    if (entries.length > MAX_KEYS) fail(`holds ${entries.length} keys; at most ${MAX_KEYS}`);
    const keys = new Map<string, Buffer>();
    entries.forEach((entry, index) => {
      const where = entries.length === 1 ? 'the key' : `key ${index + 1} of ${entries.length}`;
      if (typeof entry !== 'string') return fail(`${where} is not a string`);
      const text = entry.trim();
      const equals = text.indexOf('=');
      // `=` is also base64 padding: only a prefix before any base64 of 32 bytes is an id.
      const named = equals > 0 && equals < text.length - 2;
      const id = named ? text.slice(0, equals) : null;
      const encoded = named ? text.slice(equals + 1) : text;
      if (text === '') fail(`${where} is empty`);
      if (id !== null && !KEY_ID_PATTERN.test(id)) {
        fail(`${where} has an id that is not 1-32 letters, digits or ._- (as in "id=base64")`);
      }
      const key = decodeKey(encoded);
      if (typeof key === 'string') fail(`${where} ${key}`);
      const keyId = id ?? derivedKeyId(key as Buffer);
      if (keys.has(keyId)) fail(`${where} repeats the key id "${keyId}"`);
      keys.set(keyId, key as Buffer);
    });
    return new EncryptionKeyRing(keys, variable);
  }

  /** The id of the key that seals. */
  get sealingId(): string {
    return this.ids[0];
  }

  /** Whether a key of this id is held. */
  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** The stored form of `value` (any JSON value) under `group` / `key`, with the first key. */
  seal(value: unknown, group: string, key: string): string {
    const keyId = this.sealingId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#keys.get(keyId)!, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(sealedContext(keyId, group, key));
    const ciphertext = Buffer.concat([
      cipher.update(JSON.stringify(value) ?? 'null', 'utf8'),
      cipher.final(),
    ]);
    return formatSealed({ keyId, iv, tag: cipher.getAuthTag(), ciphertext });
  }

  /** The value `sealed` holds; throws a `SealedValueError` (its `keyId` and `reason`) saying why not. */
  open(sealed: string, group: string, key: string): unknown {
    const parts = parseSealed(sealed);
    if (!parts) {
      throw new SealedValueError(sealedKeyId(sealed), 'is not a well-formed encrypted value');
    }
    const secret = this.#keys.get(parts.keyId);
    if (!secret) {
      throw new SealedValueError(
        parts.keyId,
        `is encrypted with a key that ${this.variable} does not hold ` +
          `(it holds key id ${this.ids.map((id) => `"${id}"`).join(', ')})`,
      );
    }
    let plain: string;
    try {
      const decipher = createDecipheriv(ALGORITHM, secret, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(sealedContext(parts.keyId, group, key));
      decipher.setAuthTag(parts.tag);
      plain = Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedValueError(
        parts.keyId,
        'does not authenticate with the key of that id (a different key under that id, ' +
          'a value moved from another group or key, or a tampered value)',
      );
    }
    try {
      return JSON.parse(plain) as unknown;
    } catch {
      throw new SealedValueError(parts.keyId, 'decrypts to text that is not JSON');
    }
  }

  /** Only the ids: a ring printed or serialized by accident shows no key. */
  toJSON(): { keyIds: readonly string[] } {
    return { keyIds: this.ids };
  }

  /** `console.log` and `inspect` show the ids only. @internal */
  [inspect.custom](): string {
    return `EncryptionKeyRing { ids: [${this.ids.map((id) => `'${id}'`).join(', ')}] }`;
  }
}

/** The key id of a key given without `id=`: stable, short, and says nothing about the key. */
export function derivedKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** 32 key bytes, or why the text is not their base64 (without repeating the text). */
function decodeKey(encoded: string): Buffer | string {
  const unpadded = encoded.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(unpadded) && !/^[A-Za-z0-9_-]*$/.test(unpadded)) {
    return 'is not base64 (it holds characters outside A-Z a-z 0-9 + / or - _)';
  }
  const key = Buffer.from(unpadded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) {
    return `must be ${KEY_BYTES} bytes of base64 (44 characters, as \`openssl rand -base64 32\` prints); it decodes to ${key.length} bytes`;
  }
  // Node ignores stray bits of the last character: only the canonical text of the bytes counts.
  if (
    key.toString('base64').replace(/=+$/, '') !== unpadded.replace(/-/g, '+').replace(/_/g, '/')
  ) {
    return 'is not canonical base64 of 32 bytes';
  }
  return key;
}
