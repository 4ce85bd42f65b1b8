/** `RCC_SECRET_KEYS` by default (DESIGN §14): the usual names of keys that hold credentials. */
export const DEFAULT_SECRET_KEYS = '*apikey*,*api_key*,*secret*,*password*,*token*';

const MAX_PATTERNS = 32;
const MAX_PATTERN_LENGTH = 128;

/**
 * Which top-level keys hold secrets: comma-separated globs (`*` any run, `?` one character),
 * case-insensitive. Throws naming the variable for a pattern list that cannot be one.
 */
export function secretKeyMatcher(patterns: string): (key: string) => boolean {
  const globs = patterns
    .split(',')
    .map((glob) => glob.trim())
    .filter(Boolean);
  if (globs.length > MAX_PATTERNS || globs.some((glob) => glob.length > MAX_PATTERN_LENGTH)) {
    throw new Error(
      `RCC_SECRET_KEYS holds at most ${MAX_PATTERNS} globs of at most ${MAX_PATTERN_LENGTH} characters`,
    );
  }
  // Each glob is escaped into an anchored expression: nothing of the pattern is taken as regex.
  const expressions = globs.map(
    (glob) =>
      new RegExp(
        `^${glob
          .split('')
          .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
          .join('')}$`,
        'is',
      ),
  );
  return (key) => expressions.some((expression) => expression.test(key));
}
