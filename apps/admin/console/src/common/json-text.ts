import type { ConfigDict } from '../api/api-types';

/** Pretty JSON as stored (key order kept): what the editor and the expanded rows show. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/**
 * Pretty JSON with object keys sorted at every depth: diffs then show real changes only, the
 * way the server compares configs (key order carries no meaning).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(source)
        .sort()
        .map((key) => [key, sortKeys(source[key])]),
    );
  }
  return value;
}

export type ConfigParse =
  | { ok: true; config: ConfigDict }
  | { ok: false; reason: 'syntax'; message: string }
  | { ok: false; reason: 'not-object'; kind: string };

/** What the editor checks on every keystroke: JSON syntax, and an object at the top. */
export function parseConfigText(text: string): ConfigParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'syntax', message: (error as Error).message };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return { ok: false, reason: 'not-object', kind };
  }
  return { ok: true, config: value as ConfigDict };
}
