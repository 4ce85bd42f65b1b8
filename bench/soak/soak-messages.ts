/** What a soak worker process is told at start (env `RCC_SOAK_SETUP`, JSON). */
export interface WorkerSetup {
  redisUrl: string;
  namespace: string;
  /** Ids of the nodes this worker runs: `soak-<first>` … `soak-<first + count - 1>`. */
  first: number;
  count: number;
  pool: string;
  leaseMs?: number;
  refreshMs?: number;
}

/** One node as its application sees it. */
export interface NodeView {
  id: string;
  group: string | null;
  version: number | null;
}

/** A worker's answer to `state`: its nodes, its memory, and what went wrong in it. */
export interface WorkerState {
  nodes: NodeView[];
  rssBytes: number;
  /** After a full GC: the live heap, what a leak would grow. */
  heapUsedBytes: number;
  uncaughtExceptions: number;
  unhandledRejections: number;
  /** Entries the nodes logged at error / warn level (Redis outages are warnings). */
  errorLogs: number;
  warnLogs: number;
  /** The last few error-level entries, to say what they were. */
  lastErrors: string[];
}

export type ParentMessage = { type: 'state'; id: number } | { type: 'stop'; id: number };

export type WorkerMessage =
  | { type: 'ready'; startMs: number }
  | { type: 'failed'; error: string }
  | { type: 'state'; id: number; state: WorkerState }
  | { type: 'stopped'; id: number };
