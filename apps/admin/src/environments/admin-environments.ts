import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { RedisConfigHealth } from '@rcc/redis-config';
import {
  ConfigGroupStore,
  createConfigGroupStore,
  NodeRegistry,
  RESOLVED_REDIS_CONFIG_OPTIONS,
  RolloutEngine,
  type ResolvedRedisConfigOptions,
  type StandaloneStore,
} from '@rcc/redis-config/publisher';
import { AsyncLocalStorage } from 'node:async_hooks';
import { AdminRedis } from '../common/admin-redis';
import { ADMIN_SETTINGS, type AdminSettings } from '../settings/admin-settings';
import { parseProtectedEnvironments } from './environment-list';

/** Whether an environment's Redis answers (the library's indicator, or the admin's connection). */
export interface EnvironmentHealth {
  readonly connected: boolean;
  ping(timeoutMs?: number): Promise<number>;
}

/** One environment the admin serves: its Redis, store, rollouts, nodes and admin connection. */
export interface EnvironmentContext {
  name: string;
  namespace: string;
  /** In `RCC_PROTECTED_ENVIRONMENTS`: a write there becomes a change request. */
  protected: boolean;
  store: ConfigGroupStore;
  rollouts: RolloutEngine;
  nodes: NodeRegistry;
  /** The admin's own connection there (audit log, change requests). */
  redis: AdminRedis;
  health: EnvironmentHealth;
  options: ResolvedRedisConfigOptions;
}

/** What `GET /api/environments` shows: never a URL, host or password. */
export interface EnvironmentView {
  name: string;
  namespace: string;
  protected: boolean;
}

/** What a request asked for (`?env=` / the message's `env`), kept for the whole request. */
export interface EnvironmentScope {
  /** The asked name, or null for the default (the first environment). */
  asked: string | null;
  /** The request named its environment (`?env=`), rather than taking the default. */
  explicit?: boolean;
  /** Set while an approved change request is applied: the two-person rule was kept. */
  approved?: boolean;
}

/**
 * The environments of `RCC_ENVIRONMENTS` (DESIGN §19), in order; unset, one environment named by
 * `REDIS_CONFIG_CENTER_TYPE` on the library module's connection. The first is always the
 * module's (its store, rollouts and registry are Nest's providers); each other one opens its own
 * through the library's `createConfigGroupStore` (the same client factory). The environment a
 * request asked for is kept in an `AsyncLocalStorage` scope by `EnvironmentMiddleware` and the
 * `EnvironmentInterceptor`, so the services read `current()` instead of taking it as a parameter.
 */
@Injectable()
export class AdminEnvironments implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Environments');
  private readonly scope = new AsyncLocalStorage<EnvironmentScope>();
  private readonly contexts: EnvironmentContext[] = [];
  private readonly opened: { standalone: StandaloneStore; redis: AdminRedis }[] = [];
  private readonly protectedNames: string[];

  constructor(
    @Inject(ADMIN_SETTINGS) private readonly settings: AdminSettings,
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly store: ConfigGroupStore,
    private readonly rollouts: RolloutEngine,
    private readonly nodes: NodeRegistry,
    private readonly health: RedisConfigHealth,
    private readonly redis: AdminRedis,
  ) {
    const configured = settings.environments ?? [];
    const names = configured.length
      ? configured.map((env) => env.name)
      : [this.options.environment];
    const protectedNames = parseProtectedEnvironments(settings.protectedEnvironments, names);
    this.protectedNames = protectedNames;
    this.contexts.push({
      name: names[0],
      namespace: this.options.namespace,
      protected: protectedNames.includes(names[0]),
      store,
      rollouts,
      nodes,
      redis,
      health,
      options,
    });
  }

  /** Opens the environments after the first (each waits for its Redis like the first one). */
  async onModuleInit(): Promise<void> {
    for (const setting of (this.settings.environments ?? []).slice(1)) {
      const standalone = await createConfigGroupStore({
        redis: setting.redis,
        namespace: setting.namespace ?? undefined,
        environment: setting.name,
        secretKeys: this.settings.secretKeys,
        startupTimeoutMs: this.options.startupTimeoutMs,
      });
      const redis = new AdminRedis(standalone.options);
      this.opened.push({ standalone, redis });
      await redis.onModuleInit();
      this.contexts.push({
        name: setting.name,
        namespace: standalone.options.namespace,
        protected: this.protectedNames.includes(setting.name),
        store: standalone.store,
        rollouts: standalone.rollouts,
        nodes: standalone.nodes,
        redis,
        health: connectionHealth(redis),
        options: standalone.options,
      });
      this.logger.log(`Environment "${setting.name}" (namespace ${standalone.options.namespace})`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const { standalone, redis } of this.opened.splice(0)) {
      await redis.onApplicationShutdown();
      await standalone.close().catch(() => undefined);
    }
  }

  /** Every environment, in order (the first is the default). */
  all(): readonly EnvironmentContext[] {
    return this.contexts;
  }

  views(): EnvironmentView[] {
    return this.contexts.map(({ name, namespace, protected: isProtected }) => ({
      name,
      namespace,
      protected: isProtected,
    }));
  }

  /** The environment of that name (the first when null); 400 naming the known ones otherwise. */
  named(name: string | null | undefined): EnvironmentContext {
    if (name === null || name === undefined || name === '') return this.contexts[0];
    const found = this.contexts.find((context) => context.name === name);
    if (!found) {
      throw new BadRequestException({
        message: `Unknown environment "${String(name).slice(0, 64)}": known are ${this.contexts
          .map((context) => context.name)
          .join(', ')}`,
        problems: [{ field: 'env', message: 'is not an environment of this admin' }],
      });
    }
    return found;
  }

  /**
   * The environment the current request asked for; the first outside a request, and for an
   * unknown name (which `EnvironmentInterceptor` refuses before any handler runs: only the error
   * filter's audit of a refused token sees it).
   */
  current(): EnvironmentContext {
    const asked = this.scope.getStore()?.asked ?? null;
    return this.contexts.find((context) => context.name === asked) ?? this.contexts[0];
  }

  /**
   * From now on, the current request acts in `context` (a promotion writes into `to`: its audit
   * entry and webhooks go there too). The request's scope is one object for all of it.
   */
  actIn(context: EnvironmentContext): void {
    const scope = this.scope.getStore();
    if (scope) scope.asked = context.name;
  }

  /** `work` in the current request's scope, set to `context`; a scope of its own outside one. */
  enter<T>(context: EnvironmentContext, work: () => T): T {
    if (!this.scope.getStore()) return this.run(context, work);
    this.actIn(context);
    return work();
  }

  /** Whether the current request named its environment with `?env=`. */
  askedExplicitly(): boolean {
    return this.scope.getStore()?.explicit === true;
  }

  /** Whether the current work applies an approved change request. */
  applyingApproved(): boolean {
    return this.scope.getStore()?.approved === true;
  }

  /** Runs `work` in `context` as the application of an approved change request. */
  runApproved<T>(context: EnvironmentContext, work: () => T): T {
    return this.scope.run({ asked: context.name, approved: true }, work);
  }

  /** Runs `work` with `context` as the current environment (background work of each one). */
  run<T>(context: EnvironmentContext | string | null, work: () => T, explicit = false): T {
    const asked = typeof context === 'string' || context === null ? context : context.name;
    return this.scope.run({ asked, explicit }, work);
  }
}

function connectionHealth(redis: AdminRedis): EnvironmentHealth {
  return {
    get connected() {
      try {
        return redis.client.status === 'ready';
      } catch {
        return false;
      }
    },
    ping(timeoutMs = 1000) {
      const started = performance.now();
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no PONG within ${timeoutMs} ms`)),
          timeoutMs,
        );
        redis.client
          .ping()
          .then(
            () => resolve(performance.now() - started),
            (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
          )
          .finally(() => clearTimeout(timer));
      });
    },
  };
}
