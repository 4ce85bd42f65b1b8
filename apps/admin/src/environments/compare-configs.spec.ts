import { compareConfigs, promotedConfig } from './compare-configs';

describe('compareConfigs', () => {
  it('gives each key of either side its status, sorted, comparing values deeply', () => {
    expect(
      compareConfigs(
        { a: 1, b: { x: 1, y: [1, 2] }, c: 'new', d: 'same' },
        { a: 2, b: { y: [1, 2], x: 1 }, d: 'same', e: true },
      ),
    ).toEqual([
      { key: 'a', status: 'changed' },
      { key: 'b', status: 'same' },
      { key: 'c', status: 'added' },
      { key: 'd', status: 'same' },
      { key: 'e', status: 'removed' },
    ]);
  });

  it('compares an absent group as empty', () => {
    expect(compareConfigs({ a: 1 }, null)).toEqual([{ key: 'a', status: 'added' }]);
    expect(compareConfigs(null, { a: 1 })).toEqual([{ key: 'a', status: 'removed' }]);
  });
});

describe('promotedConfig', () => {
  it('copies the listed keys, removes those absent from the source, keeps the rest', () => {
    expect(
      promotedConfig({ a: 1, b: 2, apikey: 'stg' }, { a: 0, apikey: 'prod', c: 3, gone: 1 }, [
        'a',
        'b',
        'gone',
      ]),
    ).toEqual({ a: 1, b: 2, apikey: 'prod', c: 3 });
  });

  it('keeps a __proto__ key as plain data', () => {
    const from = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const next = promotedConfig(from, {}, ['__proto__']);
    expect(Object.hasOwn(next, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
