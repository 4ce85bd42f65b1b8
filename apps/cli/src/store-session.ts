import { Logger, LoggerService } from '@nestjs/common';
import {
  ConfigGroupStore,
  createConfigGroupStore,
  RedisConfigModuleOptions,
  resolveOptions,
  ResolvedRedisConfigOptions,
} from '@rcc/redis-config/publisher';
import { CliError, EXIT_INVALID_INPUT } from './cli-error';

/** Where a command reads or writes groups: a Redis (URL, or the env variables) and a namespace. */
export interface RedisTarget {
  url?: string;
  namespace?: string;
  /** How long to wait for Redis before giving up. */
  timeoutMs: number;
}

/** An open connection to one target, to be closed by the caller. */
export interface StoreSession {
  store: ConfigGroupStore;
  /** `host:port db N, namespace "..."`: never a password. */
  description: string;
  close(): Promise<void>;
}

/**
 * Errors go to stderr; the library's warnings (each failed reconnect) are kept, not printed,
 * so that "cannot reach Redis" can say why.
 */
class CliLogger implements LoggerService {
  lastWarning: string | null = null;
  log(): void {}
  warn(message: unknown): void {
    this.lastWarning = String(message);
  }
  error(message: unknown): void {
    process.stderr.write(`rcc: ${String(message)}\n`);
  }
}

const logger = new CliLogger();

/** The module options of a target, checked before any connection (bad URLs fail here, clearly). */
export function targetOptions(target: RedisTarget): RedisConfigModuleOptions {
  return {
    node: false,
    // Without a URL, the library reads REDIS_URL, REDIS_PORT, REDIS_SENTINELS, ... itself.
    redis: target.url === undefined ? undefined : { url: target.url },
    namespace: target.namespace,
    startupTimeoutMs: target.timeoutMs,
    failFast: true,
  };
}

/** Resolves a target as the library will, or fails with the library's message (exit code 2). */
export function resolveTarget(target: RedisTarget): ResolvedRedisConfigOptions {
  try {
    return resolveOptions(targetOptions(target));
  } catch (error) {
    throw new CliError((error as Error).message, EXIT_INVALID_INPUT);
  }
}

export function describeTarget({ redis, namespace }: ResolvedRedisConfigOptions): string {
  let where: string;
  if (redis.kind === 'cluster') where = `cluster ${redis.nodes.map(nodeName).join(',')}`;
  else if (redis.kind === 'shared') where = `shared client "${redis.namespace}"`;
  else if (redis.kind === 'sentinel') where = `sentinel master "${redis.options.name ?? ''}"`;
  else where = `${redis.options.host ?? 'localhost'}:${redis.options.port ?? 6379}`;
  const db = redis.kind === 'cluster' || redis.kind === 'shared' ? 0 : (redis.options.db ?? 0);
  return `${where} db ${db}, namespace "${namespace}"`;
}

function nodeName(node: unknown): string {
  if (typeof node === 'object' && node !== null && 'host' in node) {
    const { host, port } = node as { host?: string; port?: number };
    return `${host ?? 'localhost'}:${port ?? 6379}`;
  }
  return String(node);
}

/** Opens a store on the target, without a Nest application; fails fast when unreachable. */
export async function openStore(target: RedisTarget): Promise<StoreSession> {
  const description = describeTarget(resolveTarget(target));
  logger.lastWarning = null;
  // The connection's warnings (each failed reconnect) go through Nest's Logger: keep them here.
  Logger.overrideLogger(logger);
  try {
    const { store, close } = await createConfigGroupStore(targetOptions(target));
    return { store, description, close };
  } catch (error) {
    const cause = logger.lastWarning ?? (error as Error).message;
    throw new CliError(
      `cannot reach Redis at ${description} within ${target.timeoutMs} ms (${cause})`,
    );
  }
}
