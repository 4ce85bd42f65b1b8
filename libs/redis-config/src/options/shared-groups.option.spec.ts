import { resolveOptions } from './redis-config.options';
import { MAX_SHARED_GROUPS } from './shared-groups.option';

describe('sharedGroups / RCC_SHARED_GROUPS', () => {
  it('is empty by default', () => {
    expect(resolveOptions({}, {}).sharedGroups).toEqual([]);
  });

  it('reads comma-separated names in order, trimming blanks; the option wins', () => {
    expect(resolveOptions({}, { RCC_SHARED_GROUPS: ' common , region-eu,' }).sharedGroups).toEqual([
      'common',
      'region-eu',
    ]);
    expect(
      resolveOptions({ sharedGroups: ['x'] }, { RCC_SHARED_GROUPS: 'common' }).sharedGroups,
    ).toEqual(['x']);
  });

  it.each([
    ['a{b}', /RCC_SHARED_GROUPS has an invalid group name "a\{b\}"/],
    ['common,common', /RCC_SHARED_GROUPS lists "common" twice/],
    ['default', /RCC_SHARED_GROUPS must not list "default"/],
    [
      Array.from({ length: MAX_SHARED_GROUPS + 1 }, (_, i) => `g${i}`).join(','),
      /RCC_SHARED_GROUPS lists 17 groups; at most 16/,
    ],
  ])('refuses %s, naming the variable', (raw, message) => {
    expect(() => resolveOptions({}, { RCC_SHARED_GROUPS: raw })).toThrow(message);
  });

  it('takes 16 shared groups, the most it allows', () => {
    const names = Array.from({ length: MAX_SHARED_GROUPS }, (_, i) => `g${i}`);
    expect(resolveOptions({}, { RCC_SHARED_GROUPS: names.join(',') }).sharedGroups).toEqual(names);
  });

  it('takes an empty list given as the option over RCC_SHARED_GROUPS', () => {
    expect(
      resolveOptions({ sharedGroups: [] }, { RCC_SHARED_GROUPS: 'common' }).sharedGroups,
    ).toEqual([]);
  });
});
