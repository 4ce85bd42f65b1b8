import type { AuditEntry } from './audit-entry';

/**
 * Size caps of a stored audit entry. Every field that a caller can choose (a path, a group name,
 * key names) is cut to a bound, so an entry costs Redis a few KB at most whatever was asked:
 * the log is bounded in bytes, not only in entries (an unauthenticated 15 KB path is stored as
 * its first 256 characters).
 */
export const AUDIT_BOUNDS = {
  /** Characters kept of a path, an actor, a group name or a key name. */
  text: 256,
  /** Characters kept of an address or a method. */
  short: 64,
  /** Names kept in `keys` and in `groups` (the count of the rest is noted as a last name). */
  names: 100,
} as const;

/** `value` cut to `max` characters, marked with `…` when it was cut. */
export function capText(value: string, max: number = AUDIT_BOUNDS.text): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function capNames(names: readonly string[]): string[] {
  const kept = names.slice(0, AUDIT_BOUNDS.names).map((name) => capText(name));
  const left = names.length - kept.length;
  return left > 0 ? [...kept, `… ${left} more`] : kept;
}

const capOrNull = (value: string | null, max?: number): string | null =>
  value === null ? null : capText(value, max);

/** The entry as stored: every caller-chosen field within {@link AUDIT_BOUNDS}. */
export function boundedEntry(entry: AuditEntry): AuditEntry {
  const bounded: AuditEntry = {
    ...entry,
    actor: capOrNull(entry.actor),
    address: capOrNull(entry.address, AUDIT_BOUNDS.short),
    method: capText(entry.method, AUDIT_BOUNDS.short),
    path: capText(entry.path),
    group: capOrNull(entry.group),
    keys: capNames(entry.keys),
  };
  if (entry.groups) bounded.groups = capNames(entry.groups);
  return bounded;
}
