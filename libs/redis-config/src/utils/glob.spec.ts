import { globMatcher, parseGlobs } from './glob';

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
  ])('%s matches %s: %s', (pattern, name, expected) => {
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
