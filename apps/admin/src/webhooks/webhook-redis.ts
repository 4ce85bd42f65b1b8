import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { RESOLVED_REDIS_CONFIG_OPTIONS, type ResolvedRedisConfigOptions } from '@rcc/redis-config';
import { Cluster, Redis } from 'ioredis';

/**
 * The webhook queue's own Redis connection, on the Redis of the groups (the library keeps its
 * connection to itself). Opened on first use; commands fail at once while Redis is away (the
 * queue is tried again at the next poll) instead of piling up.
 */
@Injectable()
export class WebhookRedis implements OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private opened: Redis | Cluster | null = null;

  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
  ) {}

  get namespace(): string {
    return this.options.namespace;
  }

  get client(): Redis | Cluster {
    this.opened ??= this.open();
    return this.opened;
  }

  async onApplicationShutdown(): Promise<void> {
    const client = this.opened;
    this.opened = null;
    if (!client) return;
    await client.quit().catch(() => client.disconnect());
  }

  private open(): Redis | Cluster {
    const { redis } = this.options;
    const common = {
      disableClientInfo: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt: number) => Math.min(50 * attempt, 1000),
    } as const;
    let client: Redis | Cluster;
    if (redis.kind === 'cluster') {
      client = new Cluster(redis.nodes, {
        ...redis.options,
        enableOfflineQueue: false,
        redisOptions: { ...redis.options.redisOptions, ...common },
      });
    } else if (redis.kind === 'shared') {
      throw new Error('Webhooks need their own Redis connection settings: set REDIS_URL');
    } else {
      client = new Redis({ ...redis.options, ...common });
    }
    client.on('error', (error: Error) => this.logger.debug(`Redis: ${error.message}`));
    return client;
  }
}
