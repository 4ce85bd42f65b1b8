import { isPlainObject } from './config-group-record';

/** Where a rollout stands (DESIGN §13). `verifying` and `canary` are running; the rest are final. */
export type RolloutStatus =
  'verifying' | 'canary' | 'promoted' | 'rolled-back' | 'aborted' | 'rejected';

/** Every rollout status, running ones first. */
export const ROLLOUT_STATUSES: readonly RolloutStatus[] = [
  'verifying',
  'canary',
  'promoted',
  'rolled-back',
  'aborted',
  'rejected',
];

/** One canary step: that share of the group's holders runs the candidate for `bakeMs`. */
export interface RolloutStep {
  /** 1–100: the share of the group's holders that runs the candidate (at least one node). */
  percent: number;
  /** How long this step runs before the next one (or promotion), in ms. */
  bakeMs: number;
}

/** What a node said about a rollout: a refusal or no answer (verification), or a canary's problem. */
export interface RolloutProblem {
  /** The node that said it (its `RCC_NODE_ID`). */
  nodeId: string;
  /** Its message: why its `validate` refused, or what the app reported. */
  reason: string;
  /** When (ms, Redis time); null when not known. */
  atMs: number | null;
}

/** The small part of a rollout (the `state` field), read by nodes on every check. */
export interface RolloutState {
  /** Unique per rollout: Redis time in base 36, then random hex. */
  id: string;
  /** The group rolled out. */
  group: string;
  /** The stable version the rollout started from. */
  baseVersion: number;
  /** The candidate's version: `baseVersion + 1`. */
  version: number;
  /** Where it stands. */
  status: RolloutStatus;
  /** 0 while verifying (and with no steps); 1…steps.length during the canary. */
  step: number;
  /** The canary steps; empty: verify, then promote at once. */
  steps: RolloutStep[];
  /** When it started (ms, Redis time). */
  startedAtMs: number;
  /** When the current step began (ms, Redis time): the bake is timed from here. */
  stepStartedAtMs: number | null;
  /** When it ended (ms, Redis time); null while it runs. */
  finishedAtMs: number | null;
  /** Promoted: true once the candidate is written into the groups hash. */
  published: boolean;
  /** The version the stable content was written at by a rollback (the candidate's number burned). */
  revertedVersion: number | null;
  /** Who started it. */
  author: string | null;
  /** Why, as given at the start. */
  comment: string | null;
  /** Why it ended, in words (final statuses). */
  outcome: string | null;
}

/** True for the statuses in which nodes may run the candidate or are being asked about it. */
export function isRunning(status: RolloutStatus): boolean {
  return status === 'verifying' || status === 'canary';
}

/** A message of the rollouts channel: small and of constant size, nodes read the rest from Redis. */
export interface RolloutMessage {
  /** `verify`: answer now; `state`: the rollout moved; `problem`: a node reported one. */
  type: 'verify' | 'state' | 'problem';
  /** The group of the rollout. */
  group: string;
  /** The rollout's id. */
  id: string;
  /** Its status when the message was sent. */
  status: RolloutStatus;
  /** Its step when the message was sent. */
  step: number;
}

export function rolloutMessage(message: RolloutMessage): string {
  return JSON.stringify(message);
}

/** Parses a message of the rollouts channel; null for anything that is not one of ours. */
export function parseRolloutMessage(text: string): RolloutMessage | null {
  const value = parseJson(text);
  if (!isPlainObject(value)) return null;
  const { type, group, id, status, step } = value;
  if (type !== 'verify' && type !== 'state' && type !== 'problem') return null;
  if (typeof group !== 'string' || typeof id !== 'string' || !isStatus(status)) return null;
  if (!Number.isSafeInteger(step) || (step as number) < 0) return null;
  return { type, group, id, status, step: step as number };
}

/** The stored `state` field, checked (it is Redis data: anyone may have written it); null if not ours. */
export function parseRolloutState(text: string | null): RolloutState | null {
  const value = parseJson(text);
  if (!isPlainObject(value)) return null;
  const v = value;
  const int = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  const intOrNull = (x: unknown) => x === null || x === undefined || int(x);
  const textOrNull = (x: unknown) => x === null || x === undefined || typeof x === 'string';
  if (typeof v.id !== 'string' || typeof v.group !== 'string' || !isStatus(v.status)) return null;
  if (!int(v.baseVersion) || !int(v.version) || !int(v.step) || !int(v.startedAtMs)) return null;
  const steps = parseSteps(v.steps);
  if (!steps || !intOrNull(v.stepStartedAtMs) || !intOrNull(v.finishedAtMs)) return null;
  if (!intOrNull(v.revertedVersion) || !textOrNull(v.author) || !textOrNull(v.comment)) return null;
  if (!textOrNull(v.outcome)) return null;
  return {
    id: v.id,
    group: v.group,
    baseVersion: v.baseVersion as number,
    version: v.version as number,
    status: v.status,
    step: v.step as number,
    steps,
    startedAtMs: v.startedAtMs as number,
    stepStartedAtMs: (v.stepStartedAtMs as number | null | undefined) ?? null,
    finishedAtMs: (v.finishedAtMs as number | null | undefined) ?? null,
    published: v.published === true,
    revertedVersion: (v.revertedVersion as number | null | undefined) ?? null,
    author: (v.author as string | null | undefined) ?? null,
    comment: (v.comment as string | null | undefined) ?? null,
    outcome: (v.outcome as string | null | undefined) ?? null,
  };
}

/** The stored `canaries` field: node ids (anything else read as none). */
export function parseNodeIds(text: string | null): string[] {
  const value = parseJson(text);
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}

/** The stored `problems` field (an empty Lua table is encoded `{}`: read as none). */
export function parseProblems(text: string | null): RolloutProblem[] {
  const value = parseJson(text);
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) =>
    isPlainObject(entry) && typeof entry.nodeId === 'string' && typeof entry.reason === 'string'
      ? [
          {
            nodeId: entry.nodeId,
            reason: entry.reason,
            atMs: Number.isSafeInteger(entry.atMs) ? (entry.atMs as number) : null,
          },
        ]
      : [],
  );
}

/** How long a node's verification answers are kept (they matter only while a rollout verifies). */
export const ROLLOUT_ANSWERS_TTL_MS = 10 * 60 * 1000;

/** A node's verification answer (hash value of the answers key). */
export type RolloutAnswer = { ok: true } | { ok: false; reason: string };

export function parseRolloutAnswer(text: string | null): RolloutAnswer | null {
  const value = parseJson(text);
  if (!isPlainObject(value)) return null;
  if (value.ok === true) return { ok: true };
  if (value.ok === false && typeof value.reason === 'string')
    return { ok: false, reason: value.reason };
  return null;
}

/**
 * Why `steps` is not a valid step list (1–100, strictly increasing, bakeMs an integer ≥ 0), or
 * null when it is. Said per field, e.g. `steps[1].percent`.
 */
export function stepsProblem(steps: unknown): { field: string; message: string } | null {
  if (!Array.isArray(steps)) return { field: 'steps', message: 'must be an array' };
  if (steps.length > 20) return { field: 'steps', message: 'must hold at most 20 steps' };
  let previous = 0;
  for (let i = 0; i < steps.length; i++) {
    const step: unknown = steps[i];
    if (!isPlainObject(step)) return { field: `steps[${i}]`, message: 'must be an object' };
    const { percent, bakeMs } = step;
    if (!Number.isSafeInteger(percent) || (percent as number) < 1 || (percent as number) > 100)
      return { field: `steps[${i}].percent`, message: 'must be an integer from 1 to 100' };
    if ((percent as number) <= previous)
      return { field: `steps[${i}].percent`, message: 'must be greater than the step before' };
    if (!Number.isSafeInteger(bakeMs) || (bakeMs as number) < 0 || (bakeMs as number) > 86400000)
      return { field: `steps[${i}].bakeMs`, message: 'must be an integer from 0 to 86400000' };
    previous = percent as number;
  }
  return null;
}

function parseSteps(value: unknown): RolloutStep[] | null {
  if (stepsProblem(value)) return null;
  return (value as RolloutStep[]).map(({ percent, bakeMs }) => ({ percent, bakeMs }));
}

function isStatus(value: unknown): value is RolloutStatus {
  return typeof value === 'string' && (ROLLOUT_STATUSES as readonly string[]).includes(value);
}

function parseJson(text: string | null | undefined): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
