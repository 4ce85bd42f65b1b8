import {
  parseStoredGroup,
  readStoredGroup,
  recordDigest,
  StoredGroupReading,
} from '../wire/config-group-record';
import { GroupVersionEvent, recordStandingIn } from '../wire/namespace-event';

/** A stored record about to be applied: the SHA-1 of its JSON, and how to read it when needed. */
export interface StoredRecord {
  digest: string;
  read(): StoredGroupReading;
}

/** The stored JSON of `group` as read from Redis (null: the group is gone). */
export function storedRecord(raw: string | null, group: string): StoredRecord | null {
  if (raw === null) return null;
  return { digest: recordDigest(raw), read: () => parseStoredGroup(raw, group) };
}

/** The record `pushed` carries, when it may stand for reading `group` back (see recordStandingIn). */
export function carriedRecord(
  pushed: GroupVersionEvent | undefined,
  held: { name: string; version: number } | null,
  group: string,
): StoredRecord | null {
  const carried = pushed ? recordStandingIn(pushed, held) : null;
  if (!carried) return null;
  return { digest: carried.digest, read: () => readStoredGroup(carried.value, group) };
}
