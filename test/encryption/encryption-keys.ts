import { createHash, randomBytes } from 'node:crypto';

/** A fresh `RCC_ENCRYPTION_KEY` entry and the key id the library derives from it. */
export function newEncryptionKey(): { key: string; id: string } {
  const bytes = randomBytes(32);
  return {
    key: bytes.toString('base64'),
    id: createHash('sha256').update(bytes).digest('hex').slice(0, 8),
  };
}
