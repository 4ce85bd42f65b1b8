import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { exited, forkTs } from '../lib/ts-child';
import type {
  NodeView,
  ParentMessage,
  WorkerMessage,
  WorkerSetup,
  WorkerState,
} from './soak-messages';

const WORKER = join(__dirname, 'soak-worker.ts');

/** The soak's worker processes, seen as one fleet of nodes. */
export class SoakFleet {
  private nextId = 1;
  private readonly pending = new Map<number, (message: WorkerMessage) => void>();

  private constructor(private readonly workers: ChildProcess[]) {
    for (const worker of workers) {
      worker.on('message', (message: WorkerMessage) => {
        if ('id' in message) this.pending.get(message.id)?.(message);
      });
    }
  }

  /** Forks the workers and waits until every node of every one has started. */
  static async start(
    setups: WorkerSetup[],
    timeoutMs: number,
  ): Promise<{ fleet: SoakFleet; startMs: number[] }> {
    // --expose-gc: the heap is measured after a full GC, so garbage is not taken for a leak.
    const workers = setups.map((setup) =>
      forkTs(WORKER, {
        execArgv: ['--expose-gc', '--max-old-space-size=2048'],
        env: { ...process.env, RCC_SOAK_SETUP: JSON.stringify(setup) },
      }),
    );
    const startMs = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<number>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error('a soak worker did not start')),
              timeoutMs,
            );
            worker.on('message', (message: WorkerMessage) => {
              if (message.type === 'ready') {
                clearTimeout(timer);
                resolve(message.startMs);
              } else if (message.type === 'failed') {
                clearTimeout(timer);
                reject(new Error(`soak worker failed: ${message.error}`));
              }
            });
          }),
      ),
    );
    return { fleet: new SoakFleet(workers), startMs };
  }

  /** Every worker's state, taken now. */
  async states(timeoutMs = 30_000): Promise<WorkerState[]> {
    const replies = await Promise.all(
      this.workers.map((worker) => this.ask(worker, 'state', timeoutMs)),
    );
    return replies.map((reply) => {
      if (reply.type !== 'state') throw new Error(`a soak worker answered "${reply.type}"`);
      return reply.state;
    });
  }

  /** Every node of the fleet, as its application sees it. */
  async nodes(): Promise<NodeView[]> {
    return (await this.states()).flatMap((state) => state.nodes);
  }

  /** Closes every node cleanly, then the processes (killed if they do not end in time). */
  async stop(timeoutMs = 60_000): Promise<WorkerState[]> {
    const last = await this.states();
    await Promise.all(
      this.workers.map(async (worker) => {
        await this.ask(worker, 'stop', timeoutMs).catch(() => worker.kill('SIGKILL'));
        const timer = setTimeout(() => worker.kill('SIGKILL'), 5000);
        await exited(worker);
        clearTimeout(timer);
      }),
    );
    return last;
  }

  private ask(
    worker: ChildProcess,
    type: ParentMessage['type'],
    timeoutMs: number,
  ): Promise<WorkerMessage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`a soak worker did not answer "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, (message) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(message);
      });
      worker.send({ type, id } satisfies ParentMessage);
    });
  }
}
