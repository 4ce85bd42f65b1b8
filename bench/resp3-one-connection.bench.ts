/**
 * RESP3: can a node use ONE connection for its commands and its subscriptions (issue 25)?
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *     bench/resp3-one-connection.bench.ts [nodes=50]
 *
 * The same N nodes on one standalone redis-server (append-only, so a crash keeps the groups),
 * twice: as released (RESP2, a command client and a subscriber: two connections a node) and as
 * an experiment (RESP3, `protocol: 3`, the subscriber getter returning the command client). For
 * each: the connections the server counts, publish → applied on every node (10 publishes), and a
 * crash (SIGKILL, restart on the same port): how long until every node is subscribed again
 * (CLIENT LIST `sub`/`ssub`), until a publish made then reaches every node, and the errors the
 * nodes logged. Prints a Markdown table and writes bench/results/resp3-one-connection.json.
 * Standalone only: on a Cluster, ioredis (5 and 6) sends SUBSCRIBE / SSUBSCRIBE to dedicated
 * subscriber connections whatever the protocol, so there is nothing to share there.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ConfigGroupService } from '@rcc/redis-config';
import { RedisConfigConnection } from '@rcc/redis-config/connection/redis-config-connection';
import { startNode, startPublisher } from '../test/helpers/config-node';
import { RedisServer, uniqueNamespace } from '../test/helpers/redis-server';
import { atExit, machineInfo, RESULTS_DIR } from './lib/bench-report';
import { summarize } from './lib/stats';

const NODES = Number(process.argv[2] ?? 50);
const GROUPS = 5;
const PUBLISHES = 10;
const DEADLINE_MS = 20_000;

type Mode = 'resp2-two-connections' | 'resp3-one-connection';

interface ModeResult {
  mode: Mode;
  nodes: number;
  connections: number;
  protocols: Record<string, number>;
  propagationMs: ReturnType<typeof summarize>;
  resubscribedMs: number | null;
  afterCrashMs: number | null;
  nodesMissingAfterCrash: number;
  errors: string[];
}

/** The experiment: the subscriber IS the command client (RESP3 lets it run commands). */
function shareOneConnection(): () => void {
  const original = Object.getOwnPropertyDescriptor(RedisConfigConnection.prototype, 'subscriber');
  Object.defineProperty(RedisConfigConnection.prototype, 'subscriber', {
    configurable: true,
    get(this: RedisConfigConnection) {
      return this.client;
    },
  });
  return () => {
    if (original) Object.defineProperty(RedisConfigConnection.prototype, 'subscriber', original);
  };
}

function clientList(text: string): Record<string, string>[] {
  return text
    .trim()
    .split('\n')
    .map((line) => Object.fromEntries(line.split(' ').map((field) => field.split('=', 2))));
}

async function until(
  check: () => Promise<boolean> | boolean,
  ms = DEADLINE_MS,
): Promise<number | null> {
  const start = performance.now();
  while (performance.now() - start < ms) {
    if (await check()) return performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return null;
}

async function runMode(mode: Mode): Promise<ModeResult> {
  const server = await RedisServer.start({
    appendOnly: true,
    extraArgs: ['--maxclients', '10000'],
  });
  atExit(() => void server.dispose());
  const restore = mode === 'resp3-one-connection' ? shareOneConnection() : () => undefined;
  const errors: string[] = [];
  const onRejection = (reason: unknown) => errors.push(`unhandled: ${String(reason)}`);
  process.on('unhandledRejection', onRejection);
  const redis = {
    host: '127.0.0.1',
    port: server.port,
    ...(mode === 'resp3-one-connection' ? { protocol: 3 as const } : {}),
  };
  const namespace = uniqueNamespace(`resp3-${mode}`);
  const probe = new Redis(server.port, { protocol: 2, maxRetriesPerRequest: 1 });
  probe.on('error', () => undefined);
  const publisher = await startPublisher({
    redis: { host: '127.0.0.1', port: server.port },
    namespace,
  });
  const groups = Array.from({ length: GROUPS }, (_, i) => `g${i}`);
  for (const group of groups) await publisher.store.publish(group, { v: 0 });
  const nodes: { app: INestApplicationContext; config: ConfigGroupService; group: string }[] = [];
  try {
    for (let i = 0; i < NODES; i++) {
      const group = groups[i % GROUPS];
      const node = await startNode({ redis, namespace, group, nodeId: `n${i}` });
      nodes.push({ ...node, group });
    }
    const own = await probe.client('ID');
    const publisherClients = 1; // the publisher's command client (it subscribes to nothing)
    const clients = clientList((await probe.client('LIST')) as string).filter(
      (client) => Number(client.id) !== own,
    );
    const protocols: Record<string, number> = {};
    for (const client of clients) protocols[client.resp] = (protocols[client.resp] ?? 0) + 1;
    const connections = clients.length - publisherClients;

    const everyNodeHas = (v: number) => nodes.every((node) => node.config.get('v') === v);
    const propagation: number[] = [];
    for (let v = 1; v <= PUBLISHES; v++) {
      const start = performance.now();
      await Promise.all(groups.map((group) => publisher.store.publish(group, { v })));
      const ms = await until(() => everyNodeHas(v));
      if (ms === null) throw new Error(`${mode}: publish ${v} did not reach every node`);
      propagation.push(performance.now() - start);
    }

    // A crash: SIGKILL, restart on the same port and data.
    await server.kill();
    await server.restart();
    const restarted = performance.now();
    const subscribedNodes = async () => {
      try {
        const list = clientList((await probe.client('LIST')) as string);
        return list.filter((c) => Number(c.sub ?? 0) + Number(c.ssub ?? 0) > 0).length;
      } catch {
        return 0;
      }
    };
    const resubscribed = await until(async () => (await subscribedNodes()) >= NODES);
    const resubscribedMs = resubscribed === null ? null : performance.now() - restarted;
    const v = PUBLISHES + 1;
    const publishAfterCrash = async () => {
      for (;;) {
        try {
          await Promise.all(groups.map((group) => publisher.store.publish(group, { v })));
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const start = performance.now();
    await publishAfterCrash();
    const afterCrash = await until(() => everyNodeHas(v));
    return {
      mode,
      nodes: NODES,
      connections,
      protocols,
      propagationMs: summarize(propagation),
      resubscribedMs,
      afterCrashMs: afterCrash === null ? null : performance.now() - start,
      nodesMissingAfterCrash: nodes.filter((node) => node.config.get('v') !== v).length,
      errors,
    };
  } finally {
    await Promise.all(nodes.map((node) => node.app.close().catch(() => undefined)));
    await publisher.app.close().catch(() => undefined);
    probe.disconnect();
    process.off('unhandledRejection', onRejection);
    restore();
    await server.dispose();
  }
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const results: ModeResult[] = [];
  for (const mode of ['resp2-two-connections', 'resp3-one-connection'] as const) {
    results.push(await runMode(mode));
  }
  const ms = (value: number | null) => (value === null ? 'never (20 s)' : `${value.toFixed(0)} ms`);
  const lines = [
    `${NODES} nodes, ${GROUPS} groups, ioredis ${(require('ioredis/package.json') as { version: string }).version}, ` +
      `${machine.cpus} × ${machine.cpuModel}, load ${machine.loadAverage}, commit ${machine.commit}`,
    '',
    '| mode | connections (server) | resp | publish → every node p50 / max | resubscribed after crash | publish after crash → every node | errors |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.mode} | ${r.connections} (${(r.connections / r.nodes).toFixed(2)} a node) | ` +
        `${Object.entries(r.protocols)
          .map(([resp, count]) => `${count}× RESP${resp}`)
          .join(
            ', ',
          )} | ${r.propagationMs.p50.toFixed(1)} / ${r.propagationMs.max.toFixed(1)} ms | ` +
        `${ms(r.resubscribedMs)} | ${ms(r.afterCrashMs)} (${r.nodesMissingAfterCrash} missing) | ${r.errors.length} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  writeFileSync(
    join(RESULTS_DIR, 'resp3-one-connection.json'),
    `${JSON.stringify({ machine, results }, null, 2)}\n`,
  );
  process.exit(0);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
