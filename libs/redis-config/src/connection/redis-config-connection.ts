import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Cluster, Redis } from 'ioredis';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type {
  ResolvedRedisConfigOptions,
  ResolvedRedisConnection,
} from '../options/redis-config.options';
import { RedisUnavailableError } from '../errors';
import { RedisScripts, withScripts, type RedisClient } from '../wire/redis-scripts';

const RECONNECT_MAX_DELAY_MS = 500;

/**
 * The protocol of the connections the library opens: RESP2, under ioredis 5 (which speaks nothing
 * else) and ioredis 6 (whose default is RESP3) alike. One wire, one set of reply shapes and one
 * subscriber behaviour under both majors, the one the failover suites prove; no `HELLO` (nor
 * ioredis 6's `CLIENT MAINT_NOTIFICATIONS`) round trip at every connect and reconnect of 10,000
 * nodes; servers and proxies that refuse `HELLO 3` are reached as before. RESP3 would let one
 * connection carry commands and subscriptions: measured, not adopted (docs/BENCHMARKS.md §
 * RESP3). ioredis 5 ignores both options. A `protocol` in the app's own options still wins.
 */
const OWN_PROTOCOL = { protocol: 2, replyMapping: 'legacy' } as const;

/**
 * The module's Redis connections: a command client (its own, or one the app shares through
 * `@liaoliaots/nestjs-redis`) and, for nodes, a subscriber duplicated from it. Closes what it opened.
 */
@Injectable()
export class RedisConfigConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RedisConfig');
  private readonly ownsClient: boolean;
  private commandClient: (RedisClient & RedisScripts) | null = null;
  private subscriberClient: RedisClient | null = null;
  private readiness: BehaviorSubject<boolean> | null = null;

  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly moduleRef: ModuleRef,
  ) {
    this.ownsClient = options.redis.kind !== 'shared';
    // Our own client connects at once, while Nest builds the rest of the app.
    if (this.ownsClient) this.commandClient = this.prepare(this.open());
  }

  /**
   * The command client. A shared one is looked up on first use, from the lifecycle hooks on:
   * by then every provider of the app exists (a constructor could run before `RedisService`).
   */
  get client(): RedisClient & RedisScripts {
    if (!this.commandClient) {
      const { redis } = this.options;
      if (redis.kind !== 'shared') throw new Error('unreachable');
      this.commandClient = this.prepare(sharedClient(this.moduleRef, redis.namespace));
    }
    return this.commandClient;
  }

  /**
   * A publisher (`node: false`) starts once connected, or after `startupTimeoutMs` (its writes then
   * fail until Redis answers). A node's own start-up waits in `GroupFollower`.
   */
  async onModuleInit(): Promise<void> {
    if (this.options.node) return;
    const ready = await this.waitUntilReady(this.options.startupTimeoutMs);
    if (!ready && this.options.failFast) await this.failStartup();
  }

  /**
   * Gives up a start-up that must not go on without Redis (`failFast`). The app never reaches its
   * shutdown hooks, so the connections are closed here, or they would retry forever.
   */
  async failStartup(): Promise<never> {
    await this.onApplicationShutdown();
    throw new RedisUnavailableError(
      `no connection within RCC_STARTUP_TIMEOUT_MS=${this.options.startupTimeoutMs}`,
    );
  }

  /** A client for SUBSCRIBE (on RESP2 a subscribed connection runs nothing else). Made on first use. */
  get subscriber(): RedisClient {
    if (!this.subscriberClient) {
      // Subscriptions are queued while disconnected; after a reconnect NamespaceEvents restores
      // them itself (ioredis's auto-resubscribe leaves its promises unhandled). On a
      // Cluster, SSUBSCRIBE must reach the master of the namespace's slot: ioredis's sharded
      // subscribers (one per master) route it there and follow the slot after a failover.
      this.subscriberClient =
        this.client instanceof Cluster
          ? this.client.duplicate(undefined, {
              enableOfflineQueue: true,
              shardedSubscribers: true,
              redisOptions: { ...this.client.options.redisOptions, ...OWN_PROTOCOL },
            })
          : this.client.duplicate({
              ...OWN_PROTOCOL,
              enableOfflineQueue: true,
              lazyConnect: false,
              autoResubscribe: false,
            });
      this.subscriberClient.on('error', () => undefined); // the command client logs the outage
    }
    return this.subscriberClient;
  }

  /** True once the command client is connected and ready. */
  get ready(): boolean {
    return this.client.status === 'ready';
  }

  /**
   * Whether the command client is ready: the current state on subscribe, then each change (false
   * as soon as the connection closes, true once it is ready again). Completes at shutdown, before
   * the connections close, so that a closing app is not reported as an outage.
   */
  get ready$(): Observable<boolean> {
    if (!this.readiness) {
      const readiness = new BehaviorSubject(this.ready);
      this.client.on('ready', () => readiness.next(true));
      this.client.on('close', () => readiness.next(false));
      this.client.on('end', () => readiness.next(false));
      this.readiness = readiness;
    }
    return this.readiness.pipe(distinctUntilChanged());
  }

  /** Waits until the client is ready: true, or false after `timeoutMs` (or at the first error). */
  waitUntilReady(timeoutMs: number, giveUpOnError = false): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (ready: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        this.client.off('error', onError);
        resolve(ready);
      };
      const onReady = () => finish(true);
      const onError = () => giveUpOnError && finish(false);
      const timer = setTimeout(() => finish(this.ready), timeoutMs);
      this.client.on('ready', onReady);
      this.client.on('error', onError);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.readiness?.complete();
    await Promise.all([
      this.subscriberClient ? quit(this.subscriberClient) : undefined,
      this.ownsClient ? quit(this.client) : undefined,
    ]);
  }

  private prepare(client: RedisClient): RedisClient & RedisScripts {
    try {
      assertLegacyReplies(client);
    } catch (error) {
      if (this.ownsClient) client.disconnect(); // opened a moment ago: it would retry forever
      throw error;
    }
    // ioredis emits 'error' on every failed reconnect: keep it in the log, never crash the app.
    client.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    return withScripts(client);
  }

  private open(): RedisClient {
    const { redis } = this.options;
    if (redis.kind === 'shared') throw new Error('unreachable');
    return createRedisClient(redis);
  }
}

/**
 * A Redis client for a resolved connection (`ResolvedRedisConfigOptions.redis`), set up as the
 * library's own: the one factory of the library, the admin and the CLI. Commands fail at once while
 * disconnected instead of queueing (a node answers from memory, a publisher reports the outage
 * instead of hanging); reconnect attempts at most 500 ms apart (ioredis's default grows to 2 s), so
 * a node catches up within about half a second of Redis answering again; no `CLIENT SETINFO` on
 * connect (it reads ioredis's package.json and costs a round trip at every start and reconnect,
 * and Redis before 7.2 refuses it). The caller listens to `'error'` and closes the client.
 *
 * @param redis - A connection of kind `standalone`, `sentinel` or `cluster` (a `shared` client is
 * the app's own: it throws).
 */
export function createRedisClient(redis: ResolvedRedisConnection): Redis | Cluster {
  const common = {
    disableClientInfo: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(50 * attempt, RECONNECT_MAX_DELAY_MS),
  } as const;
  if (redis.kind === 'cluster') {
    return new Cluster(redis.nodes, {
      ...redis.options,
      enableOfflineQueue: false,
      redisOptions: { ...OWN_PROTOCOL, ...redis.options.redisOptions, ...common },
    });
  }
  if (redis.kind === 'shared') {
    throw new Error(
      `redis: { namespace: "${redis.namespace}" } is a client of the app: it cannot be opened here`,
    );
  }
  return new Redis({ ...OWN_PROTOCOL, ...common, ...redis.options });
}

/**
 * The client the app registered with `@liaoliaots/nestjs-redis` under `namespace`. The package is
 * loaded only here: an app that shares no client never pays for loading it (~10 ms at start-up).
 */
function sharedClient(moduleRef: ModuleRef, namespace: string): RedisClient {
  const { RedisService } =
    require('@liaoliaots/nestjs-redis') as typeof import('@liaoliaots/nestjs-redis');
  let clients: InstanceType<typeof RedisService> | undefined;
  try {
    clients = moduleRef.get(RedisService, { strict: false });
  } catch {
    clients = undefined;
  }
  if (!clients) {
    throw new Error(
      `redis: { namespace: "${namespace}" } needs RedisModule of @liaoliaots/nestjs-redis in the app`,
    );
  }
  return clients.getOrThrow(namespace);
}

/**
 * Refuses a client whose replies come in RESP3's own shapes (ioredis 6, `replyMapping: 'resp3'`:
 * maps as objects, scores as numbers): the library reads the shapes of RESP2, which ioredis 5
 * always gives and ioredis 6 gives by default (`'legacy'`), on RESP2 and RESP3 alike. It matters
 * for a client the app shares with us, and for our own when the app's options set it.
 */
function assertLegacyReplies(client: RedisClient): void {
  const options = (client instanceof Cluster ? client.options.redisOptions : client.options) as
    { replyMapping?: string } | undefined;
  if (options?.replyMapping === 'resp3') {
    throw new Error(
      "redis: replyMapping 'resp3' is not supported: leave ioredis's default ('legacy')",
    );
  }
}

async function quit(client: RedisClient): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
