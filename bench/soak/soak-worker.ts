import { INestApplicationContext, LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigGroupService, RedisConfigModule, RedisConfigModuleOptions } from '@rcc/redis-config';
import type { ParentMessage, WorkerMessage, WorkerSetup, WorkerState } from './soak-messages';

/**
 * One soak worker process: runs its share of the nodes (each a Nest application context, as a
 * user's service would be), counts every error thrown into the process, and answers the parent.
 */
const counts = { uncaughtExceptions: 0, unhandledRejections: 0, errorLogs: 0, warnLogs: 0 };
const lastErrors: string[] = [];

// Counted, not fatal: the soak reports them (it must find none).
process.on('uncaughtException', (error) => {
  counts.uncaughtExceptions++;
  remember(`uncaught: ${error.stack ?? error.message}`);
});
process.on('unhandledRejection', (reason) => {
  counts.unhandledRejections++;
  remember(`unhandled rejection: ${String(reason)}`);
});

function remember(message: string): void {
  lastErrors.push(message.slice(0, 500));
  if (lastErrors.length > 5) lastErrors.shift();
}

/** The nodes' shared logger: counts errors and warnings, prints nothing (200 nodes are noisy). */
class CountingLogger implements LoggerService {
  log(): void {}
  debug(): void {}
  verbose(): void {}
  warn(): void {
    counts.warnLogs++;
  }
  error(message: unknown): void {
    counts.errorLogs++;
    remember(String(message));
  }
  fatal(message: unknown): void {
    this.error(message);
  }
}

const logger = new CountingLogger();

async function startNode(
  options: RedisConfigModuleOptions,
): Promise<{ app: INestApplicationContext; config: ConfigGroupService }> {
  @Module({ imports: [RedisConfigModule.forRoot(options)] })
  class SoakNodeModule {}
  const app = await NestFactory.createApplicationContext(SoakNodeModule, { logger });
  return { app, config: app.get(ConfigGroupService) };
}

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function state(nodes: { config: ConfigGroupService }[]): WorkerState {
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  return {
    nodes: nodes.map(({ config }) => ({
      id: config.nodeId,
      group: config.getConfigGroup()?.name ?? null,
      version: config.getConfigGroup()?.version ?? null,
    })),
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    ...counts,
    lastErrors: [...lastErrors],
  };
}

async function main(): Promise<void> {
  const setup = JSON.parse(process.env.RCC_SOAK_SETUP ?? '{}') as WorkerSetup;
  const started = Date.now();
  const nodes: { app: INestApplicationContext; config: ConfigGroupService }[] = [];
  // In batches, as a deployment rolls pods out; all of a batch start at once.
  for (let i = 0; i < setup.count; i += 10) {
    const batch = Array.from({ length: Math.min(10, setup.count - i) }, (_, j) =>
      startNode({
        redis: { url: setup.redisUrl },
        namespace: setup.namespace,
        nodeId: `soak-${setup.first + i + j}`,
        group: 'none',
        pool: setup.pool,
        leaseMs: setup.leaseMs,
        refreshMs: setup.refreshMs,
      }),
    );
    nodes.push(...(await Promise.all(batch)));
  }
  send({ type: 'ready', startMs: Date.now() - started });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'state') send({ type: 'state', id: message.id, state: state(nodes) });
    if (message.type === 'stop') {
      void Promise.all(nodes.map(({ app }) => app.close())).then(() => {
        send({ type: 'stopped', id: message.id });
        process.disconnect();
      });
    }
  });
}

main().catch((error: Error) => {
  send({ type: 'failed', error: error.stack ?? error.message });
  process.exit(1);
});
