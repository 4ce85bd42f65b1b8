import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ConfigKeyMissingError } from '../errors';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import type { ConfigDict } from '../wire/config-group-record';
import type {
  ConfigChangeEvent,
  ConfigChangeListener,
  ConfigGroup,
  ConfigSource,
} from './config-change';
import type { GroupHolding } from '../wire/group-holding';
import { NodeControl } from './node-control';
import { NodeState } from './node-state';

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Whether a value read with `config[key]` is the config's own: configs are parsed from JSON, so
 * what comes from `Object.prototype` (`toString`, `constructor`, an unset `__proto__`) is always a
 * function or the prototype itself. The hot path of every read: one load and three comparisons,
 * instead of a `hasOwnProperty` call that V8 does not inline.
 */
function isStoredValue(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && value !== Object.prototype;
}

/**
 * The live config of this node: its effective config, made of its shared groups
 * (`RCC_SHARED_GROUPS`, lowest precedence first) and its own group on top. Every read is served
 * from memory (no Redis round trip) and always returns the current value; `changes$` tells when
 * and why it changed.
 */
@Injectable()
export class ConfigGroupService {
  /** Every change of the effective config: `{ previous, current, reason, changedKeys, source }`. */
  readonly changes$: Observable<ConfigChangeEvent>;
  /**
   * The effective config `get` reads, layered once per change by the state and kept on the service
   * itself so that a read is one field load and one keyed load (V8 inlines `get` into its caller).
   * Updated on every change before any listener hears of it, like the `@ConfigValue` properties.
   */
  private config: Readonly<ConfigDict>;
  private readonly logger = new Logger('RedisConfig');

  /** @internal Built by Nest's injector. */
  constructor(
    private readonly state: NodeState,
    private readonly control: NodeControl,
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
  ) {
    this.changes$ = state.changes.asObservable();
    this.config = state.effective;
    state.beforeChange(() => {
      this.config = state.effective;
    });
  }

  /** This node's stable id (`RCC_NODE_ID`). */
  get nodeId(): string {
    return this.options.nodeId;
  }

  /** `pinned` (holds the group it asked for), `assigned` (placed by the pool), or `none`. */
  get holding(): GroupHolding {
    return this.state.holding;
  }

  /** True when the node holds the group it asked for (`DEFAULT_CONFIG_GROUP`). */
  get pinned(): boolean {
    return this.state.holding === 'pinned';
  }

  /**
   * An immutable snapshot of the node's own group (its shared groups left out), or null when the
   * node holds none.
   */
  getConfigGroup(): ConfigGroup | null {
    return this.state.current;
  }

  /**
   * The whole effective config (frozen): the top-level keys of the shared groups in order, then
   * the own group's on top. The own group's config itself when the node follows no shared group.
   */
  getEffectiveConfig(): Readonly<ConfigDict> {
    return this.config;
  }

  /**
   * What the effective config is made of, lowest precedence first: each shared group (version
   * null while it does not exist), then the own group when the node holds one.
   */
  getSources(): ConfigSource[] {
    return this.state.sources();
  }

  /** The name of the group that gives `key` its effective value; undefined when no source has it. */
  sourceOf(key: string): string | undefined {
    return this.state.sourceOf(key);
  }

  /**
   * The current value of `key`, read from memory; the type `T` is not checked.
   *
   * @param key - A top-level key of the effective config.
   * @returns The value, or undefined when no source holds the key.
   */
  get<T = unknown>(key: string): T | undefined;
  /**
   * The current value of `key`, or `defaultValue` when no source (shared or own group) holds it.
   *
   * @param key - A top-level key of the effective config.
   * @param defaultValue - Returned when the key is absent.
   *
   * @example
   * ```ts
   * const timeoutMs = config.get('timeoutMs', 3000);
   * ```
   */
  get<T = unknown>(key: string, defaultValue: T): T;
  get<T = unknown>(key: string, defaultValue?: T): T | undefined {
    const value = this.config[key];
    return isStoredValue(value) ? (value as T) : defaultValue;
  }

  /**
   * The current value of `key`.
   *
   * @throws {@link ConfigKeyMissingError} when no source (shared or own group) holds `key`.
   */
  getOrThrow<T = unknown>(key: string): T {
    const config = this.config;
    if (!hasOwn(config, key)) {
      throw new ConfigKeyMissingError(key, this.state.current?.name ?? null);
    }
    return config[key] as T;
  }

  /** True when the effective config holds `key` (from a shared group or the own group). */
  has(key: string): boolean {
    return hasOwn(this.config, key);
  }

  /**
   * Calls `listener` after every change; returns the function that stops it. An exception it
   * throws is logged, and while the node applies a rollout's candidate it counts as a problem
   * with that candidate (see {@link ConfigGroupService.reportProblem}).
   */
  onChange(listener: ConfigChangeListener): () => void {
    const subscription = this.state.changes.subscribe((event) => {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(`Config change listener failed: ${String(error)}`);
        this.state.listenerFailures.next({ event, error });
      }
    });
    return () => subscription.unsubscribe();
  }

  /**
   * Says that the config this node runs does not work (an API key the provider refused, …).
   * Counted in the node's metrics and logged. When the node runs a rollout's candidate as a
   * canary (DESIGN §13), it goes back to the stable version at once, and the problem (this
   * node, `message`, the time) is recorded with the rollout, which the admin then rolls back.
   *
   * @param message - What went wrong, in words (kept up to 1000 characters; never put a
   * secret value in it: it is stored and shown in the rollout view).
   */
  reportProblem(message: string): Promise<void> {
    return this.control.reportProblem(message);
  }

  /** True while this node runs a rollout's candidate as one of its canaries (DESIGN §13). */
  get canary(): boolean {
    return this.control.canary;
  }

  /**
   * Whether the node reaches Redis: the current state on subscribe, then each change (false while
   * Redis is unreachable: reads keep answering from memory, and may be out of date). Completes when
   * the app shuts down. Always true in `@rcc/redis-config/testing`.
   */
  get connected$(): Observable<boolean> {
    return this.control.connected$;
  }

  /** Looks at Redis now (instead of waiting for a push or the periodic refresh). */
  async refresh(): Promise<ConfigGroup | null> {
    await this.control.refresh();
    return this.state.current;
  }
}
