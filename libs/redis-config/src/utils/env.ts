/**
 * The one parser of env variables, shared by the library's options, the admin's settings and the
 * CLI's: what counts as unset, an integer, a port or a boolean, and how a bad value is reported
 * (naming the variable and repeating the text: these variables hold no secret).
 */

/** Empty or blank counts as unset, as `VAR=` in a shell: its default applies. */
export function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/** A safe integer from a variable's text (or a number given in code); null when it is none. */
export function readInteger(raw: unknown): number | null {
  if (typeof raw === 'string' && raw.trim() === '') return null;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

/** `≥ min`, or `from min to max`: the range in an integer variable's message. */
export function integerRange(min: number, max = Number.MAX_SAFE_INTEGER): string {
  return max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
}

/** `NAME must be an integer from 1 to 65535, got "x"`. */
export function integerProblem(name: string, raw: unknown, min: number, max?: number): string {
  return `${name} must be an integer ${integerRange(min, max)}, got ${JSON.stringify(raw)}`;
}

/**
 * An integer variable: `fallback` when unset or blank, else an integer in [min, max].
 * @throws `Error` naming the variable and what it got.
 */
export function integerVariable(
  name: string,
  raw: string | number | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (isBlank(raw)) return fallback;
  const value = readInteger(raw);
  if (value === null || value < min || value > max) {
    throw new Error(integerProblem(name, raw, min, max));
  }
  return value;
}

/** A TCP port variable: 1 to 65535, `fallback` when unset. */
export function portVariable(name: string, raw: string | undefined, fallback: number): number {
  return integerVariable(name, raw, fallback, 1, 65535);
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

/** `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`, any case); null for anything else. */
export function readBoolean(raw: unknown): boolean | null {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string') return null;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return null;
}

/** `NAME must be true or false, got "x"`. */
export function booleanProblem(name: string, raw: unknown): string {
  return `${name} must be true or false, got ${JSON.stringify(raw)}`;
}

/**
 * A boolean variable: `fallback` when unset or blank, else one of the words of `readBoolean`.
 * @throws `Error` naming the variable and what it got.
 */
export function booleanVariable(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (isBlank(raw)) return fallback;
  const value = readBoolean(raw);
  if (value === null) throw new Error(booleanProblem(name, raw));
  return value;
}

/** A comma-separated list variable: trimmed items, empty ones left out (unset: none). */
export function listVariable(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
