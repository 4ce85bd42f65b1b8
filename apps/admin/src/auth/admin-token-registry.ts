import { createHash, timingSafeEqual } from 'node:crypto';
import type { AdminToken } from '../settings/admin-settings';
import { AdminRole, DEFAULT_ADMIN_ROLE } from './admin-role';

/** Who presented a known token: its label (the author of its writes) and its role. */
export interface TokenHolder {
  label: string;
  role: AdminRole;
}

/**
 * Tells which configured token a presented one is, in constant time: both sides are hashed to 32
 * bytes first (so neither the length nor the content leaks through timing), and every configured
 * token is compared, whatever matched before.
 */
export class AdminTokenRegistry {
  private readonly digests: { holder: TokenHolder; digest: Buffer }[];

  constructor(tokens: readonly AdminToken[]) {
    if (tokens.length === 0) throw new Error('AdminTokenRegistry needs at least one token');
    this.digests = tokens.map(({ label, token, role }) => ({
      holder: { label, role: role ?? DEFAULT_ADMIN_ROLE },
      digest: sha256(token),
    }));
  }

  /** The holder of the matching token, or null. */
  match(presented: string): TokenHolder | null {
    const digest = sha256(presented);
    let holder: TokenHolder | null = null;
    for (const entry of this.digests) {
      if (timingSafeEqual(entry.digest, digest) && holder === null) holder = entry.holder;
    }
    return holder;
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
