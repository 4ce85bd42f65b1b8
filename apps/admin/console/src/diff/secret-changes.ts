import type { ConfigDict } from '../api/api-types';

export interface SecretDigests {
  /** The `secretDigests` of the masked answer the `before` side comes from. */
  before?: Record<string, string>;
  /** The same for `after`; absent when `after` is a draft typed in the editor. */
  after?: Record<string, string>;
}

/**
 * The `after` side of a diff with each changed secret replaced by `marker`: two masked versions
 * of a short secret both read "••••" (a diff would see no change), and a draft's new secret must
 * not be shown either. Changed means: another digest (two masked answers), or another value than
 * the mask the draft started from (a draft). A key that is not a secret of `before` is left as is.
 */
export function markChangedSecrets(
  before: unknown,
  after: unknown,
  digests: SecretDigests,
  marker: string,
): unknown {
  if (!digests.before || !isDict(before) || !isDict(after)) return after;
  const marked: ConfigDict = { ...after };
  for (const [key, digest] of Object.entries(digests.before)) {
    if (!Object.hasOwn(after, key)) continue;
    const changed = digests.after
      ? digests.after[key] !== digest
      : JSON.stringify(after[key]) !== JSON.stringify(before[key]);
    // defineProperty: a `__proto__` key stays data, never a prototype.
    if (changed) Object.defineProperty(marked, key, { value: marker, enumerable: true });
  }
  return marked;
}

function isDict(value: unknown): value is ConfigDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
