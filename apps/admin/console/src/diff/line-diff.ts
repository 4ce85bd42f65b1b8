import { diffArrays } from 'diff';

export type DiffLineKind = 'added' | 'removed' | 'same' | 'skipped';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
  /** For `skipped`: how many unchanged lines are folded away. */
  count?: number;
}

/** Unchanged lines kept around each change; longer unchanged runs are folded. */
const CONTEXT = 3;

/**
 * A line diff of two pretty-printed JSON texts, with long unchanged runs folded to keep the
 * changes in view. A comma that ends a line is a separator, not content: a key added after the
 * last one moves the comma onto the line before it, and that line is no change (it is shown as
 * it reads after the change). Inside a pretty-printed JSON text a line can only end with a comma
 * outside a string, so nothing that differs in value is hidden.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const lines: DiffLine[] = [];
  const changes = diffArrays(splitLines(before), splitLines(after), {
    comparator: (left, right) => withoutComma(left) === withoutComma(right),
  });
  for (const change of changes) {
    const kind: DiffLineKind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    for (const text of change.value) lines.push({ kind, text });
  }
  return fold(lines);
}

function withoutComma(line: string): string {
  return line.endsWith(',') ? line.slice(0, -1) : line;
}

export function hasChanges(lines: DiffLine[]): boolean {
  return lines.some((line) => line.kind === 'added' || line.kind === 'removed');
}

function splitLines(value: string): string[] {
  if (value === '') return [];
  const lines = value.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function fold(lines: DiffLine[]): DiffLine[] {
  const near = lines.map((_, index) =>
    lines
      .slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1)
      .some((line) => line.kind !== 'same'),
  );
  const result: DiffLine[] = [];
  let run: DiffLine[] = [];
  const flush = () => {
    if (run.length > 1) result.push({ kind: 'skipped', text: '', count: run.length });
    else result.push(...run);
    run = [];
  };
  lines.forEach((line, index) => {
    if (line.kind === 'same' && !near[index]) run.push(line);
    else {
      flush();
      result.push(line);
    }
  });
  flush();
  return result;
}
