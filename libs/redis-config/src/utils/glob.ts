const MAX_PATTERN_LENGTH = 256;
const MAX_GLOBS = 16;

/**
 * A matcher for `RCC_POOL`-style globs: `*` (any run), `?` (one character), and up to 16 globs
 * separated by commas. No regular expression is built from user input, and the matcher is the
 * linear two-pointer algorithm, so no pattern can make matching slow.
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new Error(`A group pattern is at most ${MAX_PATTERN_LENGTH} characters`);
  }
  const globs = pattern
    .split(',')
    .map((glob) => glob.trim())
    .filter(Boolean);
  if (globs.length > MAX_GLOBS) {
    // Every glob scans every name at each decision: their number is bounded like their length.
    throw new Error(`A group pattern holds at most ${MAX_GLOBS} comma-separated globs`);
  }
  if (globs.length === 0 || globs.includes('*')) return () => true;
  return (name) => globs.some((glob) => globMatches(glob, name));
}

function globMatches(glob: string, name: string): boolean {
  let g = 0;
  let n = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (n < name.length) {
    if (g < glob.length && (glob[g] === '?' || glob[g] === name[n])) {
      g++;
      n++;
    } else if (g < glob.length && glob[g] === '*') {
      starAt = g++;
      resumeAt = n;
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
