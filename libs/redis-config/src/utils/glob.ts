const MAX_PATTERN_LENGTH = 256;
const MAX_GLOBS = 16;

/**
 * The globs of an `RCC_POOL`-style pattern: up to 16, separated by commas, trimmed. An empty list
 * means every name (an empty pattern, or one whose globs include `*`). The assignment script
 * matches these same globs in Redis (`POOL_MATCH_LUA`), so a node need not list the groups.
 */
export function parseGlobs(pattern: string): string[] {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new Error(`A group pattern is at most ${MAX_PATTERN_LENGTH} characters`);
  }
  const globs = pattern
    .split(',')
    .map((glob) => glob.trim())
    .filter(Boolean);
  if (globs.length > MAX_GLOBS) {
    // Every glob may be tried on every candidate group: their number is bounded like their length.
    throw new Error(`A group pattern holds at most ${MAX_GLOBS} comma-separated globs`);
  }
  return globs.includes('*') ? [] : globs;
}

/**
 * A matcher for `RCC_POOL`-style globs: `*` (any run), `?` (one character, a Unicode code point),
 * and up to 16 globs separated by commas. No regular expression is built from user input, and the
 * matcher is the linear two-pointer algorithm, so no pattern can make matching slow.
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  return globsMatcher(parseGlobs(pattern));
}

/** A matcher for globs already parsed by `parseGlobs` (none = every name). */
export function globsMatcher(list: readonly string[]): (name: string) => boolean {
  const globs = list.map((glob) => [...glob]);
  if (globs.length === 0) return () => true;
  return (name) => {
    const chars = [...name];
    return globs.some((glob) => globMatches(glob, chars));
  };
}

/** One glob against one name, both as code points (the Lua twin walks UTF-8 characters). */
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
