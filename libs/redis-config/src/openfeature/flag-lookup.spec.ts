import { lookUpFlag, matchesType, typeName } from './flag-lookup';

describe('lookUpFlag', () => {
  const config = {
    apikey: 'k1',
    'a.b': 'dotted key',
    a: { b: 'nested', c: { d: 0 }, list: [1, 2] },
    nothing: null,
    off: false,
  };

  it('reads a top-level key, falsy values included', () => {
    expect(lookUpFlag(config, 'apikey')).toEqual({ value: 'k1', topKey: 'apikey' });
    expect(lookUpFlag(config, 'off')).toEqual({ value: false, topKey: 'off' });
    expect(lookUpFlag(config, 'nothing')).toEqual({ value: null, topKey: 'nothing' });
  });

  it('prefers a key that holds dots to the nested path it spells', () => {
    expect(lookUpFlag(config, 'a.b')).toEqual({ value: 'dotted key', topKey: 'a.b' });
  });

  it('reads a dotted key into nested objects, naming the top-level key', () => {
    expect(lookUpFlag(config, 'a.c.d')).toEqual({ value: 0, topKey: 'a' });
    expect(lookUpFlag(config, 'a.c')).toEqual({ value: { d: 0 }, topKey: 'a' });
  });

  it('finds nothing for a missing key, a missing part, an array index or a primitive', () => {
    expect(lookUpFlag(config, 'missing')).toBeUndefined();
    expect(lookUpFlag(config, 'a.missing')).toBeUndefined();
    expect(lookUpFlag(config, 'a.list.0')).toBeUndefined();
    expect(lookUpFlag(config, 'apikey.length')).toBeUndefined();
    expect(lookUpFlag(config, 'nothing.x')).toBeUndefined();
    expect(lookUpFlag(config, '')).toBeUndefined();
  });

  it('never reads a prototype', () => {
    expect(lookUpFlag(config, 'constructor')).toBeUndefined();
    expect(lookUpFlag(config, 'a.toString')).toBeUndefined();
    expect(lookUpFlag(config, '__proto__')).toBeUndefined();
    expect(lookUpFlag(config, 'a.__proto__.x')).toBeUndefined();
  });
});

describe('matchesType', () => {
  it.each([
    [true, 'boolean', true],
    ['x', 'string', true],
    [1.5, 'number', true],
    [{}, 'object', true],
    [[1], 'object', true],
    [null, 'object', false],
    [null, 'string', false],
    ['true', 'boolean', false],
    ['1', 'number', false],
    [1, 'string', false],
    ['x', 'object', false],
  ] as const)('%j as %s: %s', (value, type, expected) => {
    expect(matchesType(value, type)).toBe(expected);
  });
});

describe('typeName', () => {
  it('names JSON types', () => {
    expect([null, [], {}, 'x', 1, true].map(typeName)).toEqual([
      'null',
      'array',
      'object',
      'string',
      'number',
      'boolean',
    ]);
  });
});
