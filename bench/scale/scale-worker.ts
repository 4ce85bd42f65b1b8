import Redis from 'ioredis';
import { LightNode, loadWire, NodeStats } from './light-node';

/** Requests of the controller (`scale.bench.ts`) to one worker process; each is answered once. */
export type ScaleRequest =
  | {
      type: 'setup';
      port: number;
      namespace: string;
      leaseMs: number;
      refreshMs: number;
      /** Command connections shared by this worker's nodes. */
      commandConnections: number;
    }
  | { type: 'start'; nodes: { id: string; requested: string }[]; withinMs: number }
  | { type: 'quiet'; on: boolean }
  | { type: 'leave'; ids: string[] }
  | { type: 'drain' }
  | { type: 'holders' }
  | { type: 'stop' };

export type ScaleReply =
  { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string };

const stats = new NodeStats();
let quiet = false;
const nodes = new Map<string, LightNode>();
let setup: Extract<ScaleRequest, { type: 'setup' }> | null = null;
let commands: ReturnType<ReturnType<typeof loadWire>['withScripts']>[] = [];
let wire: ReturnType<typeof loadWire> | null = null;
async function handle(request: ScaleRequest): Promise<unknown> {
  switch (request.type) {
    case 'setup': {
      setup = request;
      wire = loadWire();
      commands = Array.from({ length: request.commandConnections }, () =>
        (wire as NonNullable<typeof wire>).withScripts(
          new Redis({ port: request.port, host: '127.0.0.1', disableClientInfo: true }),
        ),
      );
      return null;
    }
    case 'start': {
      const config = setup as NonNullable<typeof setup>;
      const keys = new (wire as NonNullable<typeof wire>).ConfigKeys(config.namespace);
      let next = nodes.size;
      await Promise.all(
        request.nodes.map(
          ({ id, requested }) =>
            new Promise<void>((resolve) => {
              setTimeout(() => {
                // A join storm of thousands of connections overflows the accept backlog of a
                // busy Redis: connects wait longer than ioredis's 10 s default, and retry.
                const subscriber = new Redis({
                  port: config.port,
                  host: '127.0.0.1',
                  disableClientInfo: true,
                  connectTimeout: 60_000,
                });
                subscriber.on('error', () => stats.connectErrors++);
                const node = new LightNode(
                  id,
                  requested,
                  commands[next++ % commands.length],
                  subscriber,
                  {
                    wire: wire as NonNullable<typeof wire>,
                    keys,
                    namespace: config.namespace,
                    leaseMs: config.leaseMs,
                    refreshMs: config.refreshMs,
                    stats,
                    quiet: () => quiet,
                  },
                );
                nodes.set(id, node);
                node.start().then(resolve, () => {
                  stats.errors++;
                  resolve();
                });
              }, Math.random() * request.withinMs);
            }),
        ),
      );
      return null;
    }
    case 'quiet':
      quiet = request.on;
      return null;
    case 'leave': {
      await Promise.all(
        request.ids.map(async (id) => {
          const node = nodes.get(id);
          nodes.delete(id);
          await node?.stop(true);
        }),
      );
      return null;
    }
    case 'drain':
      return stats.drain();
    case 'holders':
      return [...nodes.values()].map((node) => [node.id, node.held?.name ?? null, node.holding]);
    case 'stop': {
      await Promise.all([...nodes.values()].map((node) => node.stop(false)));
      nodes.clear();
      for (const client of commands) client.disconnect();
      return null;
    }
  }
}

process.on('message', (message: ScaleRequest & { id: number }) => {
  handle(message).then(
    (value) => process.send?.({ id: message.id, ok: true, value } satisfies ScaleReply),
    (error: Error) =>
      process.send?.({ id: message.id, ok: false, error: error.message } satisfies ScaleReply),
  );
});
