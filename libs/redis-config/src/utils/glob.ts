import { listVariable } from './env';

const MAX_PATTERN_LENGTH = 256;
const MAX_GLOBS = 16;

/** The comma-separated globs of a pattern, trimmed, empty ones left out. */
export function splitGlobs(pattern: string): string[] {
  return listVariable(pattern);
}

/**
 * The globs of an `RCC_POOL`-style pattern: up to 16, separated by commas, trimmed. An empty list
 * means every name (an empty pattern, or one whose globs include `*`). The assignment script
 * matches these same globs in Redis (`POOL_MATCH_LUA`), so a node need not list the groups.
 */
export function parseGlobs(pattern: string): string[] {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new Error(`A group pattern is at most ${MAX_PATTERN_LENGTH} characters`);
  }
  const globs = splitGlobs(pattern);
  if (globs.length > MAX_GLOBS) {
    // Every glob may be tried on every candidate group: their number is bounded like their length.
    throw new Error(`A group pattern holds at most ${MAX_GLOBS} comma-separated globs`);
  }
  return globs.includes('*') ? [] : globs;
}

/** How a glob compares characters. */
export interface GlobOptions {
  /** Compare each character case-folded (`RCC_SECRET_KEYS`). @defaultValue `false` */
  caseInsensitive?: boolean;
}

/**
 * A matcher for `RCC_POOL`-style globs: `*` (any run), `?` (one character, a Unicode code point),
 * and up to 16 globs separated by commas. No regular expression is built from user input, and the
 * matcher is the linear two-pointer algorithm, so no pattern can make matching slow.
 */
export function globMatcher(pattern: string, options: GlobOptions = {}): (name: string) => boolean {
  return globsMatcher(parseGlobs(pattern), options);
}

/**
 * A matcher for globs already split (by `parseGlobs`, or by the caller): none = every name. The
 * one glob matcher of the library, the admin and the CLI: pools, group searches and secret keys.
 */
export function globsMatcher(
  list: readonly string[],
  { caseInsensitive = false }: GlobOptions = {},
): (name: string) => boolean {
  const fold = caseInsensitive ? foldCase : (text: string) => [...text];
  const globs = list.map(fold);
  if (globs.length === 0) return () => true;
  return (name) => {
    const chars = fold(name);
    return globs.some((glob) => globMatches(glob, chars));
  };
}

/** Code points, each lower-cased on its own (one character stays one, whatever its case). */
function foldCase(text: string): string[] {
  return [...text].map((char) => char.toLowerCase());
}

/**
 * One glob against one name, both as code points (the Lua twin walks UTF-8 characters). Greedy
 * with one resume point: a later `*` only moves the resume point forward, so the work is at most
 * the glob's length times the name's (no backtracking over earlier stars).
 */
function globMatches(glob: readonly string[], name: readonly string[]): boolean {
  let g = 0;
  let n = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (n < name.length) {
    // `*` first: a name may hold a literal `*`, which the glob's `*` must not take as a letter.
    if (g < glob.length && glob[g] === '*') {
      starAt = g++;
      resumeAt = n;
    } else if (g < glob.length && (glob[g] === '?' || glob[g] === name[n])) {
      g++;
      n++;
    } else if (starAt >= 0) {
      g = starAt + 1;
      n = ++resumeAt;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}
