import { InvalidConfigInputError } from '../errors';
import {
  assertValidGroup,
  canonicalJson,
  configProblem,
  groupNameProblem,
  isPlainObject,
  parseStoredGroup,
  readStoredGroup,
  recordDigest,
  storedGroupTemplate,
} from './config-group-record';

describe('group names', () => {
  it.each([
    ['group_1', null],
    ['apikey-中文 ok', null],
    ['', 'must not be empty'],
    [' x', 'must not start or end with white space'],
    ['a\nb', 'must not contain control characters'],
    ['{tag}', 'must not contain "{" or "}"'],
    ['half\ud800', 'must be valid Unicode (it holds a lone surrogate)'],
    ['\udfffx', 'must be valid Unicode (it holds a lone surrogate)'],
    ['emoji 😀 ok', null],
    ['x'.repeat(128), null],
    ['x'.repeat(129), 'must be at most 128 characters'],
    [42, 'must be a string'],
    ['.', 'must not be "." or ".."'],
    ['..', 'must not be "." or ".."'],
    ['...', null],
    ['.hidden', null],
  ])('%j → %s', (name, problem) => {
    expect(groupNameProblem(name)).toBe(problem);
  });
});

describe('configs', () => {
  it('accepts JSON objects of any JSON values, refuses the rest', () => {
    expect(configProblem({ a: [1, { b: null }], c: 'x', d: true, e: 1.5 })).toBeNull();
    expect(configProblem([])).toBe('must be a JSON object');
    expect(configProblem(null)).toBe('must be a JSON object');
    expect(configProblem({ d: new Date() })).toMatch(/not JSON/);
    expect(configProblem({ n: Infinity })).toMatch(/non-finite/);
    expect(configProblem({ s: 'half \udfff' })).toMatch(/not valid Unicode/);
    expect(configProblem({ 'k\ud800': 1 })).toMatch(/key that is not valid Unicode/);
    expect(configProblem({ s: 'pair 😀' })).toBeNull();
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100; i++) deep = deep.x = {};
    expect(configProblem(root)).toMatch(/deeper than 64/);
  });
});

describe('stored group JSON', () => {
  it('reads the old format and tolerates extras', () => {
    const parsed = parseStoredGroup(
      '{"group_name":"g","group_version":3,"config_dict":null,"extra":1}',
      'g',
    );
    expect(parsed).toEqual({
      record: { name: 'g', version: 3, config: {}, updatedAt: null, author: null, comment: null },
    });
  });

  it.each([
    ['not json', 'is not valid JSON'],
    ['[1]', 'is not a JSON object'],
    ['{"group_version":0,"config_dict":{}}', 'has no string "group_name"'],
    [
      '{"group_name":"g","group_version":"1","config_dict":{}}',
      '"group_version" is not a non-negative integer',
    ],
    [
      '{"group_name":"g","group_version":1.5,"config_dict":{}}',
      '"group_version" is not a non-negative integer',
    ],
    [
      '{"group_name":"g","group_version":0,"config_dict":[]}',
      '"config_dict" is neither an object nor null',
    ],
    [
      '{"group_name":"other","group_version":0,"config_dict":{}}',
      'names group "other" under field "g"',
    ],
  ])('refuses %s', (raw, problem) => {
    expect(parseStoredGroup(raw, 'g')).toEqual({ problem });
  });

  it('reads a record already parsed (carried in an event) as it reads its text', () => {
    const raw = '{"group_name":"g","group_version":2,"config_dict":{"k":[]},"author":"me"}';
    expect(readStoredGroup(JSON.parse(raw), 'g')).toEqual(parseStoredGroup(raw, 'g'));
    expect(readStoredGroup(JSON.parse(raw), 'h')).toEqual({
      problem: 'names group "g" under field "h"',
    });
    expect(readStoredGroup('{}')).toEqual({ problem: 'is not a JSON object' });
  });

  it('digests a record as Redis does (SHA-1 of its UTF-8 bytes, lower-case hex)', () => {
    // redis-cli EVAL "return redis.sha1hex(ARGV[1])" 0 '{"k":"é"}'
    expect(recordDigest('{"k":"é"}')).toBe('5c6487b9b2387af94934d1b3aae0d45d5a4ff730');
  });

  it('keeps a __proto__ key as data, without touching any prototype', () => {
    const parsed = parseStoredGroup(
      '{"group_name":"g","group_version":0,"config_dict":{"__proto__":{"admin":true}}}',
    );
    expect('record' in parsed && Object.keys(parsed.record.config)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('builds the stored JSON around the version the Lua script decides', () => {
    const { before, after } = storedGroupTemplate(
      'g',
      { b: [], a: 1 },
      { updatedAt: 't', author: 'me' },
    );
    const json = JSON.parse(`${before}12${after}`) as Record<string, unknown>;
    expect(json).toEqual({
      group_name: 'g',
      group_version: 12,
      config_dict: { b: [], a: 1 },
      updated_at: 't',
      author: 'me',
    });
    expect(Object.keys(json).slice(0, 3)).toEqual(['group_name', 'group_version', 'config_dict']);
  });

  it('compares configs regardless of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3] } })).toBe(
      canonicalJson({ a: { c: [3], d: 2 }, b: 1 }),
    );
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});

/** Mutation testing (docs/TESTING.md): the checks that no other test reached. */
describe('record format: every check', () => {
  const nest = (levels: number, wrap: (inner: unknown) => unknown): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = wrap(value);
    return value;
  };

  it('tells plain objects from the rest', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(null)).toBe(false);
    expect(isPlainObject('text')).toBe(false);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(new Date(0))).toBe(false);
    expect(isPlainObject(new (class Custom {})())).toBe(false);
  });

  it('bounds the nesting at 64 levels, through objects and arrays alike', () => {
    expect(configProblem(nest(64, (inner) => ({ a: inner })))).toBeNull();
    expect(configProblem(nest(65, (inner) => ({ a: inner })))).toBe('nests deeper than 64 levels');
    expect(configProblem({ a: nest(63, (inner) => [inner]) })).toBeNull();
    expect(configProblem({ a: nest(64, (inner) => [inner]) })).toBe('nests deeper than 64 levels');
  });

  it('finds a bad value inside an array or an object, and a value that is not JSON', () => {
    expect(configProblem({ a: [1, Number.NaN] })).toBe('holds a non-finite number');
    expect(configProblem({ a: [{ b: Number.POSITIVE_INFINITY }] })).toBe(
      'holds a non-finite number',
    );
    expect(configProblem({ a: [true, null, 'x', 1.5, { b: [] }] })).toBeNull();
    expect(configProblem({ a: { b: undefined } })).toBe(
      'holds a value that is not JSON (undefined)',
    );
    expect(configProblem({ a: new Date(0) })).toBe('holds a value that is not JSON (object)');
    expect(configProblem({ a: () => 1 })).toBe('holds a value that is not JSON (function)');
    // Every key is checked, not only the first one.
    expect(configProblem({ a: 1, b: { c: 'x', d: Number.NaN } })).toBe('holds a non-finite number');
  });

  it('names every problem of a (name, config) pair, and none of a good one', () => {
    expect(() => assertValidGroup('g', { a: 1 })).not.toThrow();
    const problems = (name: unknown, config: unknown) => {
      try {
        assertValidGroup(name, config);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidConfigInputError);
        return (error as InvalidConfigInputError).problems;
      }
    };
    expect(problems('', [])).toEqual([
      { field: 'name', message: 'must not be empty' },
      { field: 'config', message: 'must be a JSON object' },
    ]);
    expect(problems('g', 'x')).toEqual([{ field: 'config', message: 'must be a JSON object' }]);
    expect(problems('a{b}', {})).toEqual([
      { field: 'name', message: 'must not contain "{" or "}"' },
    ]);
  });

  it('reads a stored group only under its own name, with a non-negative version', () => {
    const raw = (fields: Record<string, unknown>) =>
      JSON.stringify({ group_name: 'g', group_version: 1, config_dict: {}, ...fields });
    expect(parseStoredGroup(raw({}), 'other')).toEqual({
      problem: 'names group "g" under field "other"',
    });
    expect(parseStoredGroup(raw({}), 'g')).toHaveProperty('record.name', 'g');
    expect(parseStoredGroup(raw({ group_version: -1 }))).toEqual({
      problem: '"group_version" is not a non-negative integer',
    });
    expect(parseStoredGroup(raw({ group_version: 0 }))).toHaveProperty('record.version', 0);
    expect(parseStoredGroup(raw({ group_version: 1.5 }))).toHaveProperty('problem');
    expect(parseStoredGroup(raw({ config_dict: [] }))).toEqual({
      problem: '"config_dict" is neither an object nor null',
    });
    expect(parseStoredGroup(raw({ config_dict: null }))).toHaveProperty('record.config', {});
    // A record with no config_dict at all (written by hand, or by an old tool) holds an empty one.
    expect(parseStoredGroup(raw({ config_dict: undefined }))).toHaveProperty('record.config', {});
    // Extras of the wrong type are dropped, not trusted.
    expect(parseStoredGroup(raw({ updated_at: 5, author: [], comment: {} }))).toHaveProperty(
      'record',
      expect.objectContaining({ updatedAt: null, author: null, comment: null }),
    );
    expect(parseStoredGroup(raw({ updated_at: 't', author: 'a', comment: 'c' }))).toHaveProperty(
      'record',
      expect.objectContaining({ updatedAt: 't', author: 'a', comment: 'c' }),
    );
  });

  it('leaves author and comment out of the stored JSON when not given', () => {
    const { before, after } = storedGroupTemplate('g', {}, { updatedAt: 't', comment: 'why' });
    expect(JSON.parse(`${before}1${after}`)).toEqual({
      group_name: 'g',
      group_version: 1,
      config_dict: {},
      updated_at: 't',
      comment: 'why',
    });
    const bare = storedGroupTemplate('g', {}, { updatedAt: 't', author: null, comment: '' });
    expect(Object.keys(JSON.parse(`${bare.before}1${bare.after}`))).toEqual([
      'group_name',
      'group_version',
      'config_dict',
      'updated_at',
    ]);
  });

  it('writes canonical JSON: keys sorted at every level, arrays in order, scalars as JSON', () => {
    expect(canonicalJson({ b: [{ d: 1, c: null }], a: 'x' })).toBe(
      '{"a":"x","b":[{"c":null,"d":1}]}',
    );
    expect(canonicalJson([])).toBe('[]');
    // Elements stay apart: [1, 23] and [12, 3] are different settings.
    expect(canonicalJson([1, 23])).toBe('[1,23]');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson('s')).toBe('"s"');
  });
});
