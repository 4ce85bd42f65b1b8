import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { exited, forkTs } from '../lib/ts-child';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

/** A request without its id (added here). */
type Request = {
  [T in WorkerRequest['type']]: Omit<Extract<WorkerRequest, { type: T }>, 'id'>;
}[WorkerRequest['type']];
type Ok = Extract<WorkerReply, { ok: true }>;

/** The node worker processes of the propagation bench, and request/reply over their IPC. */
export class NodeWorkers {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: Ok) => void; reject: (e: Error) => void }
  >();
  private readonly children: ChildProcess[];
  /** How many nodes each worker hosts. */
  readonly hosted: number[];

  constructor(count: number, execArgv: string[] = []) {
    this.children = Array.from({ length: count }, () => {
      const child = forkTs(join(__dirname, 'node-worker.ts'), { execArgv });
      child.on('message', (reply: WorkerReply) => this.settle(reply));
      child.on('exit', (code) => {
        for (const { reject } of this.pending.values()) {
          reject(new Error(`a node worker exited (code ${code})`));
        }
        this.pending.clear();
      });
      return child;
    });
    this.hosted = this.children.map(() => 0);
  }

  get size(): number {
    return this.children.length;
  }

  request(worker: number, request: Request): Promise<Ok> {
    const id = this.nextId++;
    const child = this.children[worker];
    if (!child.connected) return Promise.reject(new Error('a node worker is gone'));
    return new Promise<Ok>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ ...request, id });
    });
  }

  all(request: Request): Promise<Ok[]> {
    return Promise.all(this.children.map((_, worker) => this.request(worker, request)));
  }

  async stop(): Promise<void> {
    await this.all({ type: 'stop' }).catch(() => undefined);
    for (const child of this.children) if (child.connected) child.disconnect();
    await Promise.all(this.children.map(exited));
  }

  private settle(reply: WorkerReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply);
    else waiter.reject(new Error(`node worker: ${reply.error}`));
  }
}
