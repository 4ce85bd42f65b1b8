/**
 * `@rcc/redis-config/testing` (DESIGN §18): the real `ConfigGroupService`, `@ConfigValue` and
 * `@OnConfigChange` on a node without Redis, for an app's own unit tests. No Redis client, no
 * socket, no timer (this entry point does not load ioredis): jest exits by itself.
 *
 * @packageDocumentation
 */
import { DynamicModule, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { of, type Observable } from 'rxjs';
import { ConfigBindingExplorer } from './decorators/config-binding.explorer';
import { ConfigChangeReason } from './node/config-change';
import { ConfigGroupService } from './node/config-group.service';
import { ApplyInput, ConfigPipeline, ProposedRecord } from './node/config-pipeline';
import { NodeControl } from './node/node-control';
import { NodeState } from './node/node-state';
import { SnapshotKeeper } from './node/snapshot-keeper';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from './options/redis-config.constants';
import { resolveOptions, ValidateFunction, ValidationClass } from './options/redis-config.options';
import type { ConfigDict } from './wire/config-group-record';

/** Options of {@link RedisConfigTestingModule.forRoot}. */
export interface RedisConfigTestingOptions {
  /** The group the node holds at start (pinned). @defaultValue `'default'` */
  group?: string;
  /** Its config at start. @defaultValue `{}` */
  config?: ConfigDict;
  /** Its version at start. @defaultValue `0` */
  version?: number;
  /** Shared groups and their configs, in precedence order (lowest first). */
  shared?: Record<string, ConfigDict>;
  /** As `validate` of `RedisConfigModule.forRoot()`: runs on the effective config. */
  validate?: ValidateFunction | ValidationClass;
}

export type { ConfigDict, ValidateFunction, ValidationClass };

const TESTING_OPTIONS = Symbol('RedisConfigTestingOptions');

/** What `ConfigGroupService` asks of a test node beyond its state: it keeps the problems reported. */
@Injectable()
class TestNodeControl extends NodeControl {
  readonly reported: string[] = [];

  /** A test node is never a rollout's canary. */
  get canary(): boolean {
    return false;
  }

  /** A test node has no Redis to lose. */
  readonly connected$: Observable<boolean> = of(true);

  /** Nothing to look at: a test node changes only when the test says so. */
  async refresh(): Promise<void> {}

  async reportProblem(message: string): Promise<void> {
    this.reported.push(String(message));
  }
}

/**
 * The group of a test node, and what the test does to it. Each change goes through the same
 * pipeline as a node's (same events, `changedKeys`, `source`, reasons, `validate`) and resolves
 * after every listener has run.
 */
@Injectable()
export class TestConfigGroup implements OnModuleInit {
  /** The last version given to each group, so that `publish` and `reassign` count on. */
  private readonly versions = new Map<string, number>();
  private last: string;

  /** @internal Built by Nest's injector. */
  constructor(
    @Inject(TESTING_OPTIONS) private readonly options: RedisConfigTestingOptions,
    private readonly pipeline: ConfigPipeline,
    private readonly state: NodeState,
    private readonly control: TestNodeControl,
  ) {
    this.last = options.group ?? 'default';
  }

  /** What `ConfigGroupService.reportProblem()` received, in order. */
  get problems(): readonly string[] {
    return [...this.control.reported];
  }

  /** Loads the shared groups, then the group (reason `loaded`); a refusal fails the start. */
  async onModuleInit(): Promise<void> {
    const { config = {}, version = 0, shared = {} } = this.options;
    await this.change((apply) => {
      for (const [name, sharedConfig] of Object.entries(shared))
        apply({ kind: 'shared', name, record: record(name, 0, sharedConfig), reason: 'loaded' });
      const own = this.own(this.last, config, 'loaded', 'pinned', version)(apply);
      apply({ kind: 'decided' });
      return own;
    });
  }

  /**
   * Publishes the next version of the group the node holds (reason `updated`), or, holding none,
   * of the last one it held (reason `assigned`). Rejects with the error `validate` threw when it
   * refuses the config: the node then keeps its last good one (a `rejected` event says so).
   */
  publish(config: ConfigDict): Promise<void> {
    const holding = this.state.holding;
    return holding === 'none'
      ? this.change(this.own(this.last, config, 'assigned', 'assigned'))
      : this.change(this.own(this.last, config, 'updated', holding));
  }

  /** Moves the node to `group` with `config` (reason `reassigned`), as the pool's balancing does. */
  reassign(group: string, config: ConfigDict): Promise<void> {
    return this.change(this.own(group, config, 'reassigned', 'assigned'));
  }

  /** The node holds no group any more (reason `unassigned`): reads return their defaults. */
  unassign(): Promise<void> {
    return this.change((apply) => void apply({ kind: 'unassigned' }));
  }

  private own(
    group: string,
    config: ConfigDict,
    reason: ConfigChangeReason,
    holding: 'pinned' | 'assigned',
    version = (this.versions.get(group) ?? -1) + 1,
  ): (apply: ApplyInput) => Error | undefined {
    return (apply) => {
      this.versions.set(group, version);
      const applied = apply({
        kind: 'own',
        group,
        record: record(group, version, config),
        reason,
        holding,
      });
      if (applied.refused) return applied.refused.error;
      this.last = group;
      return undefined;
    };
  }

  /** One turn of the pipeline; rejects with what refused it. */
  private async change(work: (apply: ApplyInput) => Error | undefined | void): Promise<void> {
    const refused = await this.pipeline.run(work);
    if (refused) throw refused;
  }
}

/** A config as a test gives it: never skipped as already seen (no digest). */
function record(name: string, version: number, config: ConfigDict): ProposedRecord {
  // A copy: the node freezes what it holds, and the test may go on using its object.
  return { read: () => ({ record: { name, version, config: structuredClone(config) } }) };
}

/**
 * A node without Redis for an app's unit tests (global): provides the real `ConfigGroupService`
 * and binds `@ConfigValue` / `@OnConfigChange`; `TestConfigGroup` changes its group.
 *
 * @example
 * ```ts
 * const ref = await Test.createTestingModule({
 *   imports: [RedisConfigTestingModule.forRoot({ group: 'apikey-1', config: { apikey: 'k1' } })],
 *   providers: [YoutubeClient],
 * }).compile();
 * await ref.init();
 * await ref.get(TestConfigGroup).publish({ apikey: 'k2' });
 * ```
 */
@Module({})
export class RedisConfigTestingModule {
  /**
   * The testing module, global, with its node holding `options.group` (pinned) at start.
   *
   * @param options - the group, its config and version, the shared groups, and `validate`
   * @returns the dynamic module to import in `Test.createTestingModule()`
   */
  static forRoot(options: RedisConfigTestingOptions = {}): DynamicModule {
    return {
      module: RedisConfigTestingModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: TESTING_OPTIONS, useValue: options },
        {
          provide: RESOLVED_REDIS_CONFIG_OPTIONS,
          // No environment: a test node is what its test says, wherever it runs.
          useFactory: () =>
            resolveOptions(
              {
                group: options.group ?? 'default',
                sharedGroups: Object.keys(options.shared ?? {}),
                validate: options.validate,
                nodeId: 'test-node',
              },
              {},
            ),
        },
        NodeState,
        SnapshotKeeper,
        ConfigPipeline,
        // Before the group's first load: its listeners hear it.
        ConfigBindingExplorer,
        TestNodeControl,
        { provide: NodeControl, useExisting: TestNodeControl },
        TestConfigGroup,
        ConfigGroupService,
      ],
      exports: [ConfigGroupService, TestConfigGroup],
    };
  }
}
