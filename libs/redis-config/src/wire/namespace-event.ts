import { isPlainObject, recordDigest } from './config-group-record';

/** A stored record carried inside a change event (small groups), so nodes need not read it back. */
export interface InlineRecord {
  /** SHA-1 of the stored record (40 lowercase hex), as Redis computed it when writing. */
  digest: string;
  /** The record, parsed with the rest of the message; not validated. */
  value: unknown;
  /** The record's text in the message: it hashes to `digest` when the event is what we sent. */
  text: string;
}

/** A new version of a group was written (`published`, or `rollback` to earlier content). */
export interface GroupVersionEvent {
  type: 'published' | 'rollback';
  group: string;
  /** Null when the message has no usable version (a node then reads the group again). */
  version: number | null;
  /** The stored record, when the writer carried it (small groups); null otherwise. */
  inline: InlineRecord | null;
  /** When it was written (ms, Redis time), when the writer said so; for the node's metrics. */
  publishedAtMs?: number;
}

/** The wire protocol this release speaks (messages carry it as `"v"`; see docs/PROTOCOL.md). */
export const PROTOCOL_VERSION = 2;

/**
 * One message of the namespace's channels, checked (DESIGN §4, §16; docs/PROTOCOL.md):
 * `published` / `rollback` / `deleted` / `rebalance` come on a group's channel `{ns}:events:<g>`,
 * `created` on `{ns}:control`, `released` on `{ns}:places`.
 */
export type NamespaceEvent =
  | GroupVersionEvent
  | { type: 'deleted'; group: string }
  /** A node's place freed (constant size): a node waiting for a place may take it. */
  | { type: 'released'; group: string }
  /** A group appeared (constant size): a waiting or balancing node may want it. */
  | { type: 'created'; group: string }
  /** A place freed elsewhere left this group two above it: one of its movable nodes should move. */
  | { type: 'rebalance'; group: string };

const DIGEST = /^[0-9a-f]{40}$/;
/** The record is the last member of our messages, embedded as stored: `…,"record":{…}}`. */
const RECORD_MEMBER = ',"record":';

/** Parses a message of the events channel; null for anything that is not one of our events. */
export function parseNamespaceEvent(message: string): NamespaceEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return null;
  }
  if (!isPlainObject(value) || typeof value.group !== 'string' || value.group === '') return null;
  // `"v"`: the messages' format (2); a later one keeps these shapes or speaks on other channels.
  // Anything else in `v` is no message of ours.
  if (Object.hasOwn(value, 'v') && !(Number.isSafeInteger(value.v) && (value.v as number) >= 2))
    return null;
  const { type, group } = value;
  if (type === 'deleted' || type === 'created' || type === 'rebalance' || type === 'released')
    return { type, group };
  if (type !== 'published' && type !== 'rollback') return null;
  const { version, digest, publishedAtMs } = value;
  const event: GroupVersionEvent = {
    type,
    group,
    version: Number.isSafeInteger(version) && (version as number) >= 0 ? (version as number) : null,
    inline:
      typeof digest === 'string' && DIGEST.test(digest) && Object.hasOwn(value, 'record')
        ? inlineRecord(message, digest, value.record)
        : null,
  };
  if (Number.isSafeInteger(publishedAtMs)) event.publishedAtMs = publishedAtMs as number;
  return event;
}

function inlineRecord(message: string, digest: string, value: unknown): InlineRecord | null {
  const at = message.indexOf(RECORD_MEMBER);
  if (at < 0 || !message.endsWith('}')) return null;
  return { digest, value, text: message.slice(at + RECORD_MEMBER.length, -1) };
}

/**
 * The record an event carries, when it may stand for reading the held group back: a version
 * newer than the one held, of the held group, whose text hashes to the event's digest (checked
 * last: one SHA-1, only by a node about to apply it) and names that group and version. Null for
 * anything else (a large group, a stale or replayed event, a record that does not match its event):
 * the node then reads the group from Redis, as before records were carried.
 */
export function recordStandingIn(
  { group, version, inline }: GroupVersionEvent,
  held: { name: string; version: number } | null,
): InlineRecord | null {
  if (!inline || version === null || group !== held?.name || version <= held.version) return null;
  const { value } = inline;
  if (!isPlainObject(value) || value.group_name !== group || value.group_version !== version)
    return null;
  return recordDigest(inline.text) === inline.digest ? inline : null;
}
