import { Inject, Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ConfigKeyMissingError } from '../errors';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import type { ConfigDict } from '../wire/config-group-record';
import type { ConfigChangeEvent, ConfigChangeListener, ConfigGroup } from './config-change';
import { GroupFollower } from './group-follower';
import type { GroupHolding } from '../wire/group-holding';
import { NodeState } from './node-state';

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);
const NO_CONFIG: Readonly<ConfigDict> = Object.freeze({});

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
 * The live config group of this node. Every read is served from memory (no Redis round trip) and
 * always returns the current value; `changes$` tells when and why it changed.
 */
@Injectable()
export class ConfigGroupService {
  /** Every change of the node's group: `{ previous, current, reason, changedKeys }`. */
  readonly changes$: Observable<ConfigChangeEvent>;
  /**
   * The config `get` reads: a copy of the reference held in `state.current`, kept on the service
   * itself so that a read is one field load and one keyed load (V8 inlines `get` into its caller).
   * Updated on every change before any listener hears of it, like the `@ConfigValue` properties.
   */
  private config: Readonly<ConfigDict>;

  /** @internal Built by Nest's injector. */
  constructor(
    private readonly state: NodeState,
    private readonly follower: GroupFollower,
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
  ) {
    this.changes$ = state.changes.asObservable();
    this.config = state.current?.config ?? NO_CONFIG;
    state.beforeChange(({ current }) => {
      this.config = current?.config ?? NO_CONFIG;
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

  /** An immutable snapshot of the current group, or null when the node holds none. */
  getConfigGroup(): ConfigGroup | null {
    return this.state.current;
  }

  /**
   * The current value of `key`, read from memory; the type `T` is not checked.
   *
   * @param key - A top-level key of the group's config.
   * @returns The value, or undefined when the group does not hold the key (or the node holds no
   * group).
   */
  get<T = unknown>(key: string): T | undefined;
  /**
   * The current value of `key`, or `defaultValue` when the group does not hold it (or the node
   * holds no group).
   *
   * @param key - A top-level key of the group's config.
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
   * @throws {@link ConfigKeyMissingError} when the group does not hold `key`, or the node holds no
   * group.
   */
  getOrThrow<T = unknown>(key: string): T {
    const config = this.state.current?.config;
    if (!config || !hasOwn(config, key)) {
      throw new ConfigKeyMissingError(key, this.state.current?.name ?? null);
    }
    return config[key] as T;
  }

  /** True when the current group holds `key` (false when the node holds no group). */
  has(key: string): boolean {
    const config = this.state.current?.config;
    return !!config && hasOwn(config, key);
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  onChange(listener: ConfigChangeListener): () => void {
    const subscription = this.state.changes.subscribe(listener);
    return () => subscription.unsubscribe();
  }

  /** Looks at Redis now (instead of waiting for a push or the periodic refresh). */
  async refresh(): Promise<ConfigGroup | null> {
    await this.follower.refresh();
    return this.state.current;
  }
}
