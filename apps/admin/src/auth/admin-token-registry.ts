import { createHash, timingSafeEqual } from 'node:crypto';
import type { AdminToken } from '../settings/admin-settings';

/**
 * Tells which configured token a presented one is, in constant time: both sides are hashed to 32
 * bytes first (so neither the length nor the content leaks through timing), and every configured
 * token is compared, whatever matched before.
 */
export class AdminTokenRegistry {
  private readonly digests: { label: string; digest: Buffer }[];

  constructor(tokens: readonly AdminToken[]) {
    if (tokens.length === 0) throw new Error('AdminTokenRegistry needs at least one token');
    this.digests = tokens.map(({ label, token }) => ({ label, digest: sha256(token) }));
  }

  /** The label of the matching token, or null. */
  match(presented: string): string | null {
    const digest = sha256(presented);
    let label: string | null = null;
    for (const entry of this.digests) {
      if (timingSafeEqual(entry.digest, digest) && label === null) label = entry.label;
    }
    return label;
  }

  /** The token of an `Authorization` header value (`Bearer <token>`), or null. */
  static bearerToken(header: string | string[] | undefined): string | null {
    if (typeof header !== 'string') return null;
    const match = /^Bearer +(\S+) *$/i.exec(header);
    return match ? match[1] : null;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
