import type { WriteKind } from '../metrics/admin-metrics';

/** A write that succeeded, as the admin announces it (metrics, webhooks). */
export interface ConfigWrite {
  kind: WriteKind;
  /** The group written; null for an import (see `groups`). */
  group: string | null;
  /** The version the write produced; null for a delete or an import. */
  version: number | null;
  /** The token label that made it (null when not known: a message pattern's delete). */
  author: string | null;
  /** An import: the groups it created or changed. */
  groups?: string[];
}
