import type { ConfigDict } from './config-group-record';

/** Keys whose value differs between two configs (added, removed or changed), sorted. */
export function changedKeys(before: ConfigDict, after: ConfigDict): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => {
      const had = Object.prototype.hasOwnProperty.call(before, key);
      const has = Object.prototype.hasOwnProperty.call(after, key);
      return had !== has || !sameJson(before[key], after[key]);
    })
    .sort();
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every(
    (key) =>
      Object.prototype.hasOwnProperty.call(b, key) &&
      sameJson((a as ConfigDict)[key], (b as ConfigDict)[key]),
  );
}
