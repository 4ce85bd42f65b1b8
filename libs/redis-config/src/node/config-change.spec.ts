import { changedKeys } from '../wire/changed-keys';
import { frozenGroup } from './config-change';

describe('changedKeys', () => {
  it('lists added, removed and changed keys, sorted', () => {
    expect(
      changedKeys(
        { a: 1, b: { x: [1, 2] }, c: 'same', d: true },
        { a: 2, b: { x: [1, 2] }, c: 'same', e: null },
      ),
    ).toEqual(['a', 'd', 'e']);
  });

  it('compares nested values by content, not identity', () => {
    expect(changedKeys({ n: { deep: [1, { z: 1 }] } }, { n: { deep: [1, { z: 2 }] } })).toEqual([
      'n',
    ]);
    expect(changedKeys({ n: [] }, { n: {} })).toEqual(['n']);
  });

  it('treats a key named __proto__ as an ordinary key', () => {
    const withProto = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(changedKeys({}, withProto)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('frozenGroup', () => {
  it('freezes the config all the way down', () => {
    const group = frozenGroup('g', 1, { list: [{ a: 1 }] });
    expect(() => {
      (group.config.list as { a: number }[])[0].a = 2;
    }).toThrow(TypeError);
    expect(Object.isFrozen(group)).toBe(true);
  });
});
