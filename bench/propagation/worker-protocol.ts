/** Messages between the propagation bench and its node workers (Node IPC, JSON). */
export type WorkerRequest =
  | {
      id: number;
      type: 'start';
      nodeIds: string[];
      redisUrl: string;
      namespace: string;
      group: string;
      refreshMs: number;
    }
  /** push: subscribed to the change events (the product); poll: unsubscribed (refresh only). */
  | { id: number; type: 'mode'; push: boolean }
  /** When every node of the worker applied `version` (process.hrtime, ns, as strings). */
  | { id: number; type: 'collect'; version: number; timeoutMs: number }
  /** CPU profile of the worker while push rounds run (`inspector`), written to `file` on stop. */
  | { id: number; type: 'profile'; action: 'start' | 'stop'; file: string }
  | { id: number; type: 'stop' };

export type WorkerReply =
  | { id: number; ok: true; appliedAtNs?: string[]; missing?: number; rssBytes?: number }
  | { id: number; ok: false; error: string };
