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

  it('shows a key added after the last one as one added line: the moved comma is no change', () => {
    const before = JSON.stringify({ a: 1, b: 2 }, null, 2);
    const after = JSON.stringify({ a: 1, b: 2, c: 3 }, null, 2);
    expect(lineDiff(before, after)).toEqual([
      { kind: 'same', text: '{' },
      { kind: 'same', text: '  "a": 1,' },
      { kind: 'same', text: '  "b": 2,' },
      { kind: 'added', text: '  "c": 3' },
      { kind: 'same', text: '}' },
    ]);
    // Removing the last key: one removed line, the comma left behind is no change either.
    expect(lineDiff(after, before).filter((line) => line.kind !== 'same')).toEqual([
      { kind: 'removed', text: '  "c": 3' },
    ]);
  });

  it('still shows a value that changed, and a comma inside a string is content', () => {
    const lines = lineDiff('{\n  "a": "x,",\n  "b": 1\n}', '{\n  "a": "x",\n  "b": 1\n}');
    expect(lines.filter((line) => line.kind !== 'same')).toEqual([
      { kind: 'removed', text: '  "a": "x,",' },
      { kind: 'added', text: '  "a": "x",' },
    ]);
  });

  it('says when two texts are equal', () => {
    expect(hasChanges(lineDiff('{}\n', '{}\n'))).toBe(false);
  });
});
