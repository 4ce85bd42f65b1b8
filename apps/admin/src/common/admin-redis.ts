import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import {
  createRedisClient,
  RESOLVED_REDIS_CONFIG_OPTIONS,
  type ResolvedRedisConfigOptions,
} from '@rcc/redis-config/publisher';
import type { Cluster, Redis } from 'ioredis';

/**
 * The admin's own Redis connection for what it keeps beside the groups (the webhook queue, the
 * audit log), on the Redis of the groups (the library keeps its connection to itself), built by
 * the library's client factory. Opened at start-up, which waits for it like the library's own (bounded by
 * RCC_STARTUP_TIMEOUT_MS); commands fail at once while Redis is away (the queue is tried again at
 * the next poll) instead of piling up.
 */
@Injectable()
export class AdminRedis implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AdminRedis');
  private opened: Redis | Cluster | null = null;
  private closed = false;

  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
  ) {}

  get namespace(): string {
    return this.options.namespace;
  }

  /**
   * The connection, opened on first use. After shutdown it is not opened again: a late caller (an
   * audit entry finished after the app closed) gets an error, not a client that retries forever.
   */
  get client(): Redis | Cluster {
    if (this.closed) throw new Error('The admin is shutting down: its Redis connection is closed');
    this.opened ??= this.open();
    return this.opened;
  }

  /** Without this wait the first command would fail: the offline queue is off. */
  async onModuleInit(): Promise<void> {
    if (this.options.redis.kind === 'shared') return; // refused on first use, with a message
    const client = this.client;
    if (client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, this.options.startupTimeoutMs);
      client.once('ready', done);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const client = this.opened;
    this.opened = null;
    if (!client) return;
    await client.quit().catch(() => client.disconnect());
  }

  private open(): Redis | Cluster {
    const { redis } = this.options;
    if (redis.kind === 'shared') {
      throw new Error('The admin needs its own Redis connection settings: set REDIS_URL');
    }
    const client = createRedisClient(redis);
    client.on('error', (error: Error) => this.logger.debug(`Redis: ${error.message}`));
    return client;
  }
}
