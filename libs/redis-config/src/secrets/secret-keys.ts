import { globsMatcher, splitGlobs } from '../utils/glob';

/** `RCC_SECRET_KEYS` by default (DESIGN §14): the usual names of keys that hold credentials. */
export const DEFAULT_SECRET_KEYS = '*apikey*,*api_key*,*secret*,*password*,*token*';

const MAX_PATTERNS = 32;
const MAX_PATTERN_LENGTH = 128;

/**
 * Which top-level keys hold secrets: comma-separated globs (`*` any run, `?` one character),
 * case-insensitive, one code point per `?`. Matched by the library's one glob matcher, in time
 * bounded by the pattern's length times the key's (no regular expression). Throws naming the variable for a pattern list that cannot be one.
 */
export function secretKeyMatcher(patterns: string): (key: string) => boolean {
  const globs = splitGlobs(patterns);
  if (globs.length > MAX_PATTERNS || globs.some((glob) => glob.length > MAX_PATTERN_LENGTH)) {
    throw new Error(
      `RCC_SECRET_KEYS holds at most ${MAX_PATTERNS} globs of at most ${MAX_PATTERN_LENGTH} characters`,
    );
  }
  // An empty list means no secret key (not every key, as an empty pool would).
  if (globs.length === 0) return () => false;
  return globsMatcher(globs, { caseInsensitive: true });
}
