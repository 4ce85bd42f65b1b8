import { ConfigDict } from '@rcc/redis-config';
import { InputProblem, InvalidConfigInputError } from '@rcc/redis-config/publisher';

/** What every masked value starts with; at most the last 4 characters of a long string follow. */
export const MASK = '••••';
/** Strings shorter than this show nothing of themselves: 4 of 7 characters would be most of it. */
const SHORTEST_WITH_TAIL = 12;

/** A secret value as readers see it: never the value, at most its last 4 characters. */
export function maskValue(value: unknown): string {
  if (typeof value === 'string' && value.length >= SHORTEST_WITH_TAIL) {
    return `${MASK}${value.slice(-4)}`;
  }
  return MASK;
}

/** A copy of `config` with every secret top-level value masked (the rest as stored). */
export function maskConfig(config: ConfigDict, isSecret: (key: string) => boolean): ConfigDict {
  // fromEntries defines own properties: a `__proto__` key stays data, never a prototype.
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, isSecret(key) ? maskValue(value) : value]),
  );
}

/**
 * A config sent back by someone who saw masked values: each secret value that is exactly the
 * mask of the stored one is the stored value, unchanged. A masked value with no stored value to
 * stand for is refused (400, nothing written): it would store the mask itself.
 */
export function unmaskConfig(
  incoming: ConfigDict,
  stored: ConfigDict | null,
  isSecret: (key: string) => boolean,
  field = 'config',
): ConfigDict {
  const problems: InputProblem[] = [];
  const entries = Object.entries(incoming).map(([key, value]): [string, unknown] => {
    const looksMasked = typeof value === 'string' && value.startsWith(MASK);
    if (!isSecret(key) || !looksMasked) return [key, value];
    if (stored && Object.hasOwn(stored, key) && maskValue(stored[key]) === value) {
      return [key, stored[key]];
    }
    problems.push({
      field: `${field}.${key}`,
      message: 'is a masked secret that matches no stored value: send the value itself',
    });
    return [key, value];
  });
  if (problems.length) throw new InvalidConfigInputError(problems);
  // fromEntries defines own properties: a `__proto__` key stays data, never a prototype.
  return Object.fromEntries(entries);
}
