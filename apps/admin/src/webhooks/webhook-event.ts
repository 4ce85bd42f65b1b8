import { randomBytes } from 'node:crypto';
import type { ConfigWrite } from './config-write';

/** What a webhook announces: writes, and the moves of rollouts (DESIGN §13, `rolloutEvent`). */
export type WebhookEventType =
  'published' | 'deleted' | 'rolled-back' | 'imported' | RolloutEventType | ChangeEventType;

/** The steps of a change request in a protected environment (DESIGN §19). */
export type ChangeEventType =
  'change.requested' | 'change.approved' | 'change.rejected' | 'change.applied';

/** A rollout's moves; `rollout.aborted` is an abort by hand (canaries back on stable, as a rollback). */
export type RolloutEventType =
  | 'rollout.started'
  | 'rollout.step'
  | 'rollout.promoted'
  | 'rollout.rolled-back'
  | 'rollout.aborted'
  | 'rollout.rejected';

/** The JSON body of a delivery. */
export interface WebhookEvent {
  /** Unique per event (every target of one event gets the same id); ordered by time. */
  id: string;
  type: WebhookEventType;
  occurredAt: string;
  namespace: string;
  group: string | null;
  version: number | null;
  /** True when the write created the group (a `published` of version 0). */
  created?: boolean;
  author: string | null;
  /** `imported`: the groups the file created or changed. */
  groups?: string[];
  /** `rollout.*`: which rollout, where it stands, and the nodes' problems (never config values). */
  rollout?: {
    id: string;
    status: string;
    step: number;
    canaryNodes: string[];
    problems: { nodeId: string; reason: string }[];
  };
  /** `change.*`: which request, in which environment, of what kind, and where it stands. */
  change?: { id: string; env: string; action: string; status: string };
}

/** The event of a change request's step, stamped now; never a config value. */
export function changeEvent(
  type: ChangeEventType,
  change: NonNullable<WebhookEvent['change']> & { group: string | null; version: number | null },
  author: string | null,
  namespace: string,
  now = new Date(),
): WebhookEvent {
  const { group, version, ...details } = change;
  return { ...stamped(type, namespace, group, version, author, now), change: details };
}

/** The fields of every event, stamped `now`. */
function stamped(
  type: WebhookEventType,
  namespace: string,
  group: string | null,
  version: number | null,
  author: string | null,
  now: Date,
): WebhookEvent {
  return {
    id: `${now.getTime()}-${randomBytes(6).toString('hex')}`,
    type,
    occurredAt: now.toISOString(),
    namespace,
    group,
    version,
    author,
  };
}

/** The event of a rollout's move, stamped now; `version`: the candidate's. */
export function rolloutEvent(
  type: RolloutEventType,
  rollout: NonNullable<WebhookEvent['rollout']> & { group: string; version: number },
  author: string | null,
  namespace: string,
  now = new Date(),
): WebhookEvent {
  const { group, version, ...details } = rollout;
  return { ...stamped(type, namespace, group, version, author, now), rollout: details };
}

const TYPES: Record<ConfigWrite['kind'], WebhookEventType> = {
  created: 'published',
  published: 'published',
  deleted: 'deleted',
  'rolled-back': 'rolled-back',
  imported: 'imported',
};

/** The event of a write, stamped now. */
export function webhookEvent(
  write: ConfigWrite,
  namespace: string,
  now = new Date(),
): WebhookEvent {
  const event: WebhookEvent = {
    // Milliseconds first (13 digits until 2286): ids sort by time, as the queue sorts them.
    id: `${now.getTime()}-${randomBytes(6).toString('hex')}`,
    type: TYPES[write.kind],
    occurredAt: now.toISOString(),
    namespace,
    group: write.group,
    version: write.version,
    author: write.author,
  };
  // A PUT creates an absent group too: version 0 is always a new group (DESIGN §4).
  if (write.kind === 'created' || (write.kind === 'published' && write.version === 0))
    event.created = true;
  if (write.groups) event.groups = write.groups;
  return event;
}
