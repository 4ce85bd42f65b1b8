import {
  ErrorCode,
  OpenFeatureEventEmitter,
  ProviderEvents,
  StandardResolutionReasons,
  type FlagMetadata,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { Subscription, type Observable } from 'rxjs';
import { FlagType, lookUpFlag, matchesType, typeName } from './flag-lookup';

/**
 * What the provider reads of a node: `ConfigGroupService` of `@rcc/redis-config` (a node's, or the
 * one of `RedisConfigTestingModule`) is one. Spelt out here so that this entry point's types need
 * nothing of the others.
 */
export interface RedisConfigNode {
  /** The effective config, frozen; a new object after each change. */
  getEffectiveConfig(): Readonly<Record<string, unknown>>;
  /** The groups the effective config is made of, with their versions. */
  getSources(): readonly { name: string; version: number | null; shared: boolean }[];
  /** The group that gives a top-level key its value. */
  sourceOf(key: string): string | undefined;
  /** Every change of the effective config. */
  readonly changes$: Observable<{
    reason: string;
    changedKeys: readonly string[];
    source: { name: string; version: number | null } | null;
  }>;
  /** Whether the node reaches Redis: the current state, then each change. */
  readonly connected$: Observable<boolean>;
}

type ChangeEvent = RedisConfigNode['changes$'] extends Observable<infer E> ? E : never;

/** What a resolution says of the group a value comes from, computed once per config. */
interface SourceMetadata {
  readonly variant: string;
  readonly flagMetadata: FlagMetadata;
}

/**
 * An OpenFeature server provider over a node's effective config (DESIGN §20): the flag key is a
 * config key (a dotted key reads into nested objects), read from the node's memory like
 * `ConfigGroupService.get`. Each resolution names the group that gives the value: `variant`
 * `<group>@<version>`, `flagMetadata` `{ group, version, source }` (`source`: `own` for the node's
 * own group, `shared` for one of its shared groups). Reason `STATIC` while the node reaches Redis,
 * `CACHED` while it does not (the value may be out of date); `FLAG_NOT_FOUND` and `TYPE_MISMATCH`
 * resolve to the caller's default. The evaluation context is not used: a node serves one config.
 *
 * Events: `PROVIDER_READY` once the node has its config and reaches Redis,
 * `PROVIDER_CONFIGURATION_CHANGED` on every change (`flagsChanged`: the top-level keys that
 * changed), `PROVIDER_STALE` while Redis is unreachable, `PROVIDER_READY` again after.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule);
 * await OpenFeature.setProviderAndWait(new RedisConfigProvider(app.get(ConfigGroupService)));
 * const timeoutMs = await OpenFeature.getClient().getNumberValue('timeout_ms', 3000);
 * ```
 */
export class RedisConfigProvider implements Provider {
  /** The provider's name, as OpenFeature reports it. */
  readonly metadata = { name: 'redis-config' } as const;
  /** A server-side provider: one config for the whole process. */
  readonly runsOn = 'server' as const;
  /** Where the provider's events are emitted; the OpenFeature SDK listens to it. */
  readonly events = new OpenFeatureEventEmitter();

  private service: RedisConfigNode | null = null;
  private readonly bound: Promise<RedisConfigNode>;
  private resolveBound!: (service: RedisConfigNode) => void;
  private subscription: Subscription | null = null;
  private connected = false;
  private sourcesOf: Readonly<Record<string, unknown>> | null = null;
  private sources = new Map<string, SourceMetadata>();

  /**
   * @param service - The node's `ConfigGroupService` (`app.get(ConfigGroupService)`). Leave it out
   * when the provider must exist before the app (`OpenFeatureModule.forRoot({ defaultProvider })`):
   * `RedisConfigOpenFeatureModule.forRoot(provider)` then gives it the service when the app starts.
   */
  constructor(service?: RedisConfigNode) {
    this.bound = new Promise((resolve) => (this.resolveBound = resolve));
    if (service) this.bind(service);
  }

  /**
   * Gives the provider the node's `ConfigGroupService` (once). Done by the constructor or by
   * `RedisConfigOpenFeatureModule`; `initialize()` waits for it.
   */
  bind(service: RedisConfigNode): void {
    if (this.service === service) return;
    if (this.service) throw new Error('RedisConfigProvider: already bound to another node');
    this.service = service;
    this.resolveBound(service);
  }

  /**
   * Called by the OpenFeature SDK: resolves once the provider has its node and the node reaches
   * Redis (the SDK then emits `PROVIDER_READY`); from then on it follows the node's changes and
   * connection. Rejects when the app shuts down first.
   */
  async initialize(): Promise<void> {
    const service = await this.bound;
    this.subscription?.unsubscribe();
    const subscription = new Subscription();
    this.subscription = subscription;
    await new Promise<void>((resolve, reject) => {
      let ready = false;
      subscription.add(
        service.connected$.subscribe({
          next: (connected) => {
            this.connected = connected;
            if (!ready) {
              if (connected) {
                ready = true;
                resolve();
              }
              return;
            }
            if (connected) this.events.emit(ProviderEvents.Ready, { message: 'Redis reachable' });
            else this.events.emit(ProviderEvents.Stale, { message: 'Redis unreachable' });
          },
          complete: () => {
            if (!ready) reject(new Error('the app shut down before the node reached Redis'));
          },
        }),
      );
      subscription.add(
        service.changes$.subscribe((event) => {
          if (ready) this.changed(event);
        }),
      );
    });
  }

  /** Called by the OpenFeature SDK when the provider is replaced or OpenFeature closes. */
  async onClose(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  /** A boolean flag: a JSON `true` or `false` of the config. */
  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
  ): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'boolean'));
  }

  /** A string flag: a JSON string of the config. */
  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
  ): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'string'));
  }

  /** A number flag: a JSON number of the config. */
  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
  ): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'number'));
  }

  /** An object flag: a JSON object or array of the config (frozen: the node's own copy). */
  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
  ): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, 'object'));
  }

  private resolve<T>(flagKey: string, defaultValue: T, type: FlagType): ResolutionDetails<T> {
    const service = this.service;
    if (!service) {
      return failed(defaultValue, ErrorCode.PROVIDER_NOT_READY, 'not bound to a node yet');
    }
    const config = service.getEffectiveConfig();
    const found = lookUpFlag(config, flagKey);
    if (!found) {
      return failed(defaultValue, ErrorCode.FLAG_NOT_FOUND, `no key "${flagKey}" in the config`);
    }
    const source = this.sourceMetadata(service, config, found.topKey);
    if (!matchesType(found.value, type)) {
      const message = `"${flagKey}" is ${typeName(found.value)}, not ${type}`;
      return { ...failed(defaultValue, ErrorCode.TYPE_MISMATCH, message), ...source };
    }
    return {
      value: found.value as T,
      reason: this.connected ? StandardResolutionReasons.STATIC : StandardResolutionReasons.CACHED,
      ...source,
    };
  }

  /** The variant and metadata of the group that gives `topKey`, cached until the config changes. */
  private sourceMetadata(
    service: RedisConfigNode,
    config: Readonly<Record<string, unknown>>,
    topKey: string,
  ): SourceMetadata | undefined {
    if (this.sourcesOf !== config) {
      this.sources = new Map(
        service.getSources().map((source) => [
          source.name,
          {
            variant: `${source.name}@${source.version}`,
            flagMetadata: Object.freeze({
              group: source.name,
              version: source.version ?? -1,
              source: source.shared ? 'shared' : 'own',
            }),
          },
        ]),
      );
      this.sourcesOf = config;
    }
    const name = service.sourceOf(topKey);
    return name === undefined ? undefined : this.sources.get(name);
  }

  private changed(event: ChangeEvent): void {
    if (event.reason === 'rejected') return; // nothing changed: the node kept its config
    const metadata: Record<string, string | number> = { reason: event.reason };
    if (event.source) {
      metadata.group = event.source.name;
      if (event.source.version !== null) metadata.version = event.source.version;
    }
    this.events.emit(ProviderEvents.ConfigurationChanged, {
      flagsChanged: [...event.changedKeys],
      metadata,
    });
  }
}

function failed<T>(value: T, errorCode: ErrorCode, errorMessage: string): ResolutionDetails<T> {
  return { value, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage };
}
