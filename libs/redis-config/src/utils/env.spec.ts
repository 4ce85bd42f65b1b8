import {
  booleanVariable,
  integerVariable,
  isBlank,
  listVariable,
  portVariable,
  readBoolean,
  readInteger,
} from './env';

describe('the env parser', () => {
  it('integerVariable falls back when unset or blank, reads an integer in range', () => {
    expect(integerVariable('X', undefined, 7, 1, 10)).toBe(7);
    expect(integerVariable('X', '  ', 7, 1, 10)).toBe(7);
    expect(integerVariable('X', '10', 7, 1, 10)).toBe(10);
    expect(integerVariable('X', 3, 7, 1, 10)).toBe(3);
  });

  it.each(['0', '11', '2.5', 'ten', '1e309'])(
    'integerVariable refuses %j, naming the variable',
    (raw) => {
      expect(() => integerVariable('RCC_ROLLOUT_TICK_MS', raw, 7, 1, 10)).toThrow(
        `RCC_ROLLOUT_TICK_MS must be an integer from 1 to 10, got ${JSON.stringify(raw)}`,
      );
    },
  );

  it('says ≥ min when there is no upper bound', () => {
    expect(() => integerVariable('RCC_LEASE_MS', '-1', 1, 0)).toThrow(
      'RCC_LEASE_MS must be an integer ≥ 0, got "-1"',
    );
  });

  it('readInteger takes text or a number, and nothing else', () => {
    expect(readInteger(' 42 ')).toBe(42);
    expect(readInteger(42)).toBe(42);
    expect(readInteger('')).toBeNull();
    expect(readInteger('4x')).toBeNull();
    expect(readInteger(true)).toBeNull();
  });

  it('portVariable takes 1 to 65535', () => {
    expect(portVariable('REDIS_PORT', undefined, 6379)).toBe(6379);
    expect(portVariable('REDIS_PORT', '6380', 6379)).toBe(6380);
    expect(() => portVariable('REDIS_PORT', '0', 6379)).toThrow(
      /REDIS_PORT must be an integer from 1 to 65535/,
    );
    expect(() => portVariable('REDIS_PORT', '65536', 6379)).toThrow(/REDIS_PORT/);
  });

  it('booleanVariable reads true/false, 1/0, yes/no, on/off in any case', () => {
    for (const word of ['true', 'TRUE', '1', 'yes', 'On'])
      expect(booleanVariable('B', word, false)).toBe(true);
    for (const word of ['false', '0', 'No', 'off'])
      expect(booleanVariable('B', word, true)).toBe(false);
    expect(booleanVariable('B', ' ', true)).toBe(true);
    expect(() => booleanVariable('RCC_METRICS', 'maybe', false)).toThrow(
      'RCC_METRICS must be true or false, got "maybe"',
    );
  });

  it('listVariable trims items and leaves out empty ones', () => {
    expect(listVariable(' a , ,b,')).toEqual(['a', 'b']);
    expect(listVariable(undefined)).toEqual([]);
  });
});

/** Mutation testing (docs/TESTING.md): the helpers on their own. */
describe('the env parser, piece by piece', () => {
  it('counts undefined, null and blank text as unset, and nothing else', () => {
    expect([undefined, null, '', '  '].map(isBlank)).toEqual([true, true, true, true]);
    expect([0, false, 'x'].map(isBlank)).toEqual([false, false, false]);
  });

  it('reads blank text as no integer (not 0), and text around a word as the word', () => {
    expect(readInteger('  ')).toBeNull();
    expect(readInteger(' 12 ')).toBe(12);
    expect(readBoolean(' Yes ')).toBe(true);
    expect(readBoolean(' off ')).toBe(false);
    expect(readBoolean(1)).toBeNull();
  });
});
