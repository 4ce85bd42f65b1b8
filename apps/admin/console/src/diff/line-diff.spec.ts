import { hasChanges, lineDiff } from './line-diff';

describe('lineDiff (console)', () => {
  it('marks removed and added lines, and keeps nearby unchanged lines as context', () => {
    const lines = lineDiff('a\nb\nc\n', 'a\nB\nc\n');
    expect(lines).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
    ]);
    expect(hasChanges(lines)).toBe(true);
  });

  it('folds a long unchanged run far from any change into one "skipped" line', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 19', 'line nineteen');
    const lines = lineDiff(before, after);
    expect(lines[0]).toEqual({ kind: 'skipped', text: '', count: 16 });
    expect(lines.filter((line) => line.kind === 'same')).toHaveLength(3);
    expect(lines.slice(-2).map((line) => line.kind)).toEqual(['removed', 'added']);
  });

  it('says when two texts are equal', () => {
    expect(hasChanges(lineDiff('{}\n', '{}\n'))).toBe(false);
  });
});
