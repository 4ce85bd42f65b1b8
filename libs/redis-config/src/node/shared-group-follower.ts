import { Inject, Injectable, Logger } from '@nestjs/common';
import { NamespaceEvents } from '../connection/namespace-events';
import { RedisConfigConnection } from '../connection/redis-config-connection';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import { ConfigKeys } from '../wire/config-keys';
import type { GroupVersionEvent, NamespaceEvent } from '../wire/namespace-event';
import { ConfigPipeline } from './config-pipeline';
import { NodeState } from './node-state';
import { carriedRecord, storedRecord } from './stored-record';

/**
 * Keeps a node's shared groups (`RCC_SHARED_GROUPS`) live, driven by the group follower: loads
 * them all at start and after a reconnect (one HMGET), follows their pushed events, and reads
 * again the ones whose digest the periodic check found changed. A group that does not exist gives
 * nothing until it is published. What it reads goes to the node's `ConfigPipeline` as inputs.
 */
@Injectable()
export class SharedGroupFollower {
  private readonly logger = new Logger('RedisConfig');
  private readonly names: readonly string[];
  private stopped = false;

  /** @internal Built by Nest's injector. */
  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
    private readonly state: NodeState,
    private readonly pipeline: ConfigPipeline,
    private readonly events: NamespaceEvents,
  ) {
    this.names = options.sharedGroups;
  }

  follows(group: string): boolean {
    return this.names.includes(group);
  }

  /** Reads every shared group again (start, reconnect, `refresh()`). */
  loadAll(): Promise<void> {
    if (this.names.length === 0) return Promise.resolve();
    return this.turn('load', async (apply) => {
      // Their channels first: a change published while reading them is heard.
      await this.events.follow('shared', this.names);
      const raws = await this.connection.client.hmget(this.keys.groups, ...this.names);
      this.names.forEach((name, i) => {
        const record = storedRecord(raws[i], name);
        const reason = this.state.sharedGroup(name) ? 'updated' : 'loaded';
        apply({ kind: 'shared', name, record, reason: record ? reason : 'deleted' });
      });
    });
  }

  onEvent(event: Exclude<NamespaceEvent, { type: 'released' | 'rebalance' | 'created' }>): void {
    const name = event.group;
    if (event.type === 'deleted') {
      void this.turn(name, (apply) => {
        apply({ kind: 'shared', name, record: null, reason: 'deleted' });
      });
      return;
    }
    if (event.version !== null && event.version === this.state.sharedGroup(name)?.version) return;
    void this.loadOne(name, event);
  }

  /** The periodic check's digests, one per shared group (null: absent), in option order. */
  check(digests: readonly (string | null)[]): void {
    this.names.forEach((name, i) => {
      if (this.pipeline.sharedDigestIsNew(name, digests[i] ?? null)) void this.loadOne(name);
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private turn(what: string, work: Parameters<ConfigPipeline['run']>[0]): Promise<void> {
    return this.pipeline
      .run((apply) => (this.stopped ? undefined : work(apply)))
      .then(
        () => undefined,
        (error: Error) => {
          this.logger.warn(
            `Shared group reload (${what}) failed, keeping the last good one: ${error.message}`,
          );
        },
      );
  }

  private loadOne(name: string, pushed?: GroupVersionEvent): Promise<void> {
    return this.turn(name, async (apply) => {
      const held = this.state.sharedGroup(name) ?? null;
      const carried =
        this.options.eventInlineMaxBytes > 0 ? carriedRecord(pushed, held, name) : null;
      const record =
        carried ?? storedRecord(await this.connection.client.hget(this.keys.groups, name), name);
      const reason = pushed?.type === 'rollback' ? 'rollback' : held ? 'updated' : 'loaded';
      apply({ kind: 'shared', name, record, reason: record ? reason : 'deleted' });
    });
  }
}
