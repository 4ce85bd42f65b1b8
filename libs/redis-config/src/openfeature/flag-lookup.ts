import type { ConfigDict } from '../wire/config-group-record';

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** Where a flag's value was found: the value, and the top-level key of the config that holds it. */
export interface FoundFlag {
  readonly value: unknown;
  readonly topKey: string;
}

/**
 * Reads a flag from a config: the key itself when the config has it (a key may hold dots),
 * otherwise each dot-separated part one object deeper (`limits.qps` reads `{ limits: { qps } }`).
 * Only own properties of plain objects are walked: never an array index, never a prototype's.
 *
 * @returns the value and the top-level key it belongs to, or undefined when nothing is there.
 */
export function lookUpFlag(config: Readonly<ConfigDict>, flagKey: string): FoundFlag | undefined {
  if (hasOwn(config, flagKey)) return { value: config[flagKey], topKey: flagKey };
  const parts = flagKey.split('.');
  if (parts.length < 2) return undefined;
  let value: unknown = config;
  for (const part of parts) {
    if (!isPlainObject(value) || !hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return { value, topKey: parts[0] };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The four kinds of OpenFeature flag values. */
export type FlagType = 'boolean' | 'string' | 'number' | 'object';

/**
 * Whether a config value can be served as a flag of `type`: `object` takes a JSON object or array
 * (never null), the others their JavaScript type.
 */
export function matchesType(value: unknown, type: FlagType): boolean {
  if (type === 'object') return typeof value === 'object' && value !== null;
  return typeof value === type;
}

/** How a value is named in an error message: its JSON type. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
