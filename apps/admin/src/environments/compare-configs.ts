import type { ConfigDict } from '@rcc/redis-config';
import { isDeepStrictEqual } from 'node:util';

/** How a top-level key of `from` stands against `to` (DESIGN §19). */
export type KeyStatus = 'added' | 'removed' | 'changed' | 'same';

export interface KeyComparison {
  key: string;
  /** `added`: in `from` only (a promotion adds it to `to`); `removed`: in `to` only. */
  status: KeyStatus;
}

/**
 * Every top-level key of either config, sorted, with its status; values compared deeply (an
 * object's key order does not matter). An absent group compares as `{}`.
 */
export function compareConfigs(from: ConfigDict | null, to: ConfigDict | null): KeyComparison[] {
  const source = from ?? {};
  const target = to ?? {};
  const keys = [...new Set([...Object.keys(source), ...Object.keys(target)])].sort();
  return keys.map((key) => {
    const inSource = Object.hasOwn(source, key);
    const inTarget = Object.hasOwn(target, key);
    const status: KeyStatus = !inTarget
      ? 'added'
      : !inSource
        ? 'removed'
        : isDeepStrictEqual(source[key], target[key])
          ? 'same'
          : 'changed';
    return { key, status };
  });
}

/**
 * `to` with the listed keys taken from `from`: a key absent from `from` is removed. The other
 * keys of `to` stay as they are.
 */
export function promotedConfig(
  from: ConfigDict,
  to: ConfigDict | null,
  keys: readonly string[],
): ConfigDict {
  const next: ConfigDict = Object.fromEntries(Object.entries(to ?? {}));
  for (const key of keys) {
    if (Object.hasOwn(from, key))
      Object.defineProperty(next, key, {
        value: from[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else delete next[key];
  }
  return next;
}
