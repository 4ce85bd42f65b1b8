import type { INestApplicationContext } from '@nestjs/common';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { RedisConfigConnection } from '@rcc/redis-config/connection/redis-config-connection';
import { startNode } from '../../test/helpers/config-node';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

/**
 * A child process hosting some of the propagation bench's nodes: each node is a real Nest
 * application context with its own Redis connections (`startNode`). Exits with its parent.
 */
interface HostedNode {
  app: INestApplicationContext;
  connection: RedisConfigConnection;
  /** The channel of its group (sharded pub/sub: the default on Redis 7). */
  events: string;
  /** version → when this node applied it (process.hrtime: one clock for every process). */
  appliedAt: Map<number, bigint>;
}

const nodes: HostedNode[] = [];

async function start(request: Extract<WorkerRequest, { type: 'start' }>): Promise<void> {
  for (const nodeId of request.nodeIds) {
    const { app, config } = await startNode({
      redis: { url: request.redisUrl },
      namespace: request.namespace,
      group: request.group,
      nodeId,
      refreshMs: request.refreshMs,
    });
    const node: HostedNode = {
      app,
      connection: app.get(RedisConfigConnection),
      events: app.get(ConfigKeys).groupEvents(request.group),
      appliedAt: new Map(),
    };
    config.changes$.subscribe(({ current }) => {
      if (current && !node.appliedAt.has(current.version)) {
        node.appliedAt.set(current.version, process.hrtime.bigint());
      }
    });
    const loaded = config.getConfigGroup();
    if (!loaded) throw new Error(`node ${nodeId} started without its group`);
    node.appliedAt.set(loaded.version, process.hrtime.bigint());
    nodes.push(node);
  }
}

/** Push off = the node's subscriber leaves its group's channel; its periodic refresh remains. */
async function setMode(push: boolean): Promise<void> {
  await Promise.all(
    nodes.map((node) =>
      push
        ? node.connection.subscriber.ssubscribe(node.events)
        : node.connection.subscriber.sunsubscribe(node.events),
    ),
  );
}

async function collect(version: number, timeoutMs: number): Promise<WorkerReply> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && nodes.some((node) => !node.appliedAt.has(version))) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const appliedAtNs: string[] = [];
  for (const node of nodes) {
    const at = node.appliedAt.get(version);
    if (at !== undefined) appliedAtNs.push(at.toString());
    node.appliedAt.delete(version);
  }
  return { id: 0, ok: true, appliedAtNs, missing: nodes.length - appliedAtNs.length };
}

let profiler: Session | null = null;

async function profile(action: 'start' | 'stop', file: string): Promise<void> {
  if (action === 'start') {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    return;
  }
  if (!profiler) return;
  const { profile: result } = await profiler.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(result));
  profiler.disconnect();
  profiler = null;
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'start':
      await start(request);
      return { id: request.id, ok: true, rssBytes: process.memoryUsage().rss };
    case 'mode':
      await setMode(request.push);
      return { id: request.id, ok: true };
    case 'collect':
      return { ...(await collect(request.version, request.timeoutMs)), id: request.id };
    case 'profile':
      await profile(request.action, request.file);
      return { id: request.id, ok: true };
    case 'stop':
      await Promise.all(nodes.splice(0).map((node) => node.app.close()));
      return { id: request.id, ok: true };
  }
}

process.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (reply) => process.send?.(reply),
    (error: Error) => process.send?.({ id: request.id, ok: false, error: error.message }),
  );
});
// The bench is gone (or finished): nothing here outlives it.
process.on('disconnect', () => process.exit(0));
