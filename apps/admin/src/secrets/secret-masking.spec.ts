import { InvalidConfigInputError } from '@rcc/redis-config/publisher';
import { MASK, maskConfig, maskValue, unmaskConfig } from './secret-masking';

const isSecret = (key: string) => /secret|apikey/i.test(key);

describe('maskValue', () => {
  it('shows the last 4 characters of a string of 12 or more', () => {
    expect(maskValue('abcdefgh1234')).toBe(`${MASK}1234`);
    expect(maskValue('sk-live-0123456789abcdef')).toBe(`${MASK}cdef`);
  });

  it('shows nothing of a shorter string', () => {
    expect(maskValue('abcdefgh123')).toBe(MASK);
    expect(maskValue('')).toBe(MASK);
  });

  it.each([
    [42],
    [true],
    [null],
    [['a-long-secret-in-an-array']],
    [{ key: 'a-long-nested-value' }],
  ])('shows nothing of the non-string %p', (value) => {
    expect(maskValue(value)).toBe(MASK);
  });
});

describe('maskConfig', () => {
  it('masks the secret top-level keys only, leaving the input alone', () => {
    const config = { apikey: 'abcdefgh1234', timeout: 5, nested: { secret: 'in-clear-below-top' } };
    expect(maskConfig(config, isSecret)).toEqual({
      apikey: `${MASK}1234`,
      timeout: 5,
      nested: { secret: 'in-clear-below-top' },
    });
    expect(config.apikey).toBe('abcdefgh1234');
  });
});

describe('unmaskConfig', () => {
  const stored = { apikey: 'abcdefgh1234', client_secret: 'short', timeout: 5 };

  it('gives back the stored value for each unchanged mask', () => {
    const incoming = { apikey: `${MASK}1234`, client_secret: MASK, timeout: 6 };
    expect(unmaskConfig(incoming, stored, isSecret)).toEqual({
      apikey: 'abcdefgh1234',
      client_secret: 'short',
      timeout: 6,
    });
  });

  it('keeps a changed secret as sent', () => {
    const incoming = { apikey: 'new-value-5678', client_secret: 'other' };
    expect(unmaskConfig(incoming, stored, isSecret)).toEqual(incoming);
  });

  it('leaves a mask-like value under a key that is not secret as sent', () => {
    expect(unmaskConfig({ label: `${MASK}1234` }, stored, isSecret)).toEqual({
      label: `${MASK}1234`,
    });
  });

  it('refuses a mask that stands for no stored value, naming each field', () => {
    const problems = (incoming: Record<string, unknown>, from: typeof stored | null) => {
      try {
        unmaskConfig(incoming, from, isSecret, '[0].config_dict');
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidConfigInputError);
        return (error as InvalidConfigInputError).problems.map((problem) => problem.field);
      }
      throw new Error('not refused');
    };
    // Another tail, a key not stored, no stored group at all.
    expect(problems({ apikey: `${MASK}9999`, new_secret: MASK }, stored)).toEqual([
      '[0].config_dict.apikey',
      '[0].config_dict.new_secret',
    ]);
    expect(problems({ apikey: `${MASK}1234` }, null)).toEqual(['[0].config_dict.apikey']);
  });

  it('does not take an inherited property for a stored value', () => {
    expect(() => unmaskConfig({ secret_constructor: MASK }, {}, isSecret)).toThrow(
      InvalidConfigInputError,
    );
  });
});
