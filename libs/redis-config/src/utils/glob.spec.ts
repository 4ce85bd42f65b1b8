import { globMatcher, globsMatcher, parseGlobs } from './glob';

describe('globMatcher', () => {
  it.each([
    ['*', 'anything', true],
    ['apikey-*', 'apikey-1', true],
    ['apikey-*', 'xapikey-1', false],
    ['apikey-?', 'apikey-12', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['g1, g2', 'g2', true],
    ['g1,g2', 'g3', false],
    ['', 'whatever', true],
    ['[a]', '[a]', true],
    ['.*', 'abc', false],
    ['abc*', 'abc', true], // a star at the end takes nothing
    ['abc**', 'abc', true],
    ['a*', '', false],
    ['?', '', false],
    ['*ab', 'aab', true], // the leading star takes one "a", then resumes
    ['*?', 'x', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a*c', 'abcd', false],
    ['ab', 'abc', false],
    ['abc', 'ab', false],
  ])('%s matches %j: %s', (pattern, name, expected) => {
    expect(globMatcher(pattern)(name)).toBe(expected);
  });

  it('stays fast on a pattern that makes backtracking regexes explode', () => {
    const matches = globMatcher('*a*a*a*a*a*a*a*a*a*a*b');
    const name = 'a'.repeat(5000);
    expect(matches(name)).toBe(false);
  });

  it('refuses too many comma-separated globs', () => {
    expect(() => globMatcher(Array.from({ length: 17 }, (_, i) => `g${i}`).join(','))).toThrow(
      /at most 16/,
    );
  });

  it('refuses an oversized pattern', () => {
    expect(() => globMatcher('*'.repeat(300))).toThrow(/at most 256/);
  });
});

describe('parseGlobs', () => {
  it('lists the trimmed globs, and none for every name', () => {
    expect(parseGlobs(' apikey-* , g1 ')).toEqual(['apikey-*', 'g1']);
    expect(parseGlobs('')).toEqual([]);
    expect(parseGlobs('g1,*')).toEqual([]);
  });

  it('matches one code point with ?, not one UTF-16 unit', () => {
    expect(globMatcher('key-?')('key-😀')).toBe(true);
    expect(globMatcher('?組')('中組')).toBe(true);
  });
});

describe('globMatcher on names holding glob characters', () => {
  it.each([
    ['a*', 'a*b', true],
    ['a?', 'a*', true],
    ['*b', '*xb', true],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(globMatcher(pattern)(name)).toBe(expected);
  });
});

describe('globsMatcher with caseInsensitive', () => {
  it('folds the case of the glob and of the name, and only when asked', () => {
    expect(globsMatcher(['*Secret*'], { caseInsensitive: true })('my_SECRET_key')).toBe(true);
    expect(globsMatcher(['*Secret*'])('my_SECRET_key')).toBe(false);
    expect(globsMatcher(['ß?'], { caseInsensitive: true })('SSX')).toBe(false); // one code point each
  });

  it('answers the pathological case at once: *db*pass*word* on 400,000 characters', () => {
    // A backtracking regex tries every split of the stars (166 s on this key); the two-pointer
    // walk resumes only after the last star: at most glob length × name length steps.
    const matches = globsMatcher(['*db*pass*word*'], { caseInsensitive: true });
    const name = 'DB' + 'pass'.repeat(100_000);
    const started = performance.now();
    expect(matches(name)).toBe(false);
    expect(matches(name + 'Word')).toBe(true);
    // Stryker's instrumented copy runs several times slower (RCC_TIME_SCALE, stryker.config.js).
    expect(performance.now() - started).toBeLessThan(
      2000 * Number(process.env.RCC_TIME_SCALE ?? 1),
    );
  });
});

describe('globMatcher: the bounds of a pattern', () => {
  it('takes 256 characters and 16 globs, and refuses one more of either', () => {
    expect(globMatcher(`${'x'.repeat(255)}*`)('x'.repeat(300))).toBe(true);
    expect(() => globMatcher(`${'x'.repeat(256)}*`)).toThrow(
      'A group pattern is at most 256 characters',
    );
    const globs = (count: number) => Array.from({ length: count }, (_, i) => `g${i}`).join(',');
    expect(globMatcher(globs(16))('g15')).toBe(true);
    expect(() => globMatcher(globs(17))).toThrow(
      'A group pattern holds at most 16 comma-separated globs',
    );
  });
});

describe('globMatcher with no glob', () => {
  it('matches any name with no glob at all', () => {
    expect(globsMatcher([])('')).toBe(true);
    expect(globsMatcher([])('x')).toBe(true);
    expect(globsMatcher([], { caseInsensitive: true })('X')).toBe(true);
  });
});
