import { Inject, Injectable, Logger } from '@nestjs/common';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import { ConfigGroup, frozenGroup } from './config-change';
import { NodeState } from './node-state';
import { SnapshotFile } from './snapshot-file';

/** Restores the node's sources from `RCC_SNAPSHOT_PATH` at start, and saves them after each change. */
@Injectable()
export class SnapshotKeeper {
  private readonly logger = new Logger('RedisConfig');
  private readonly file: SnapshotFile | null;
  /** Writes run one after another: both followers save, and they share one temp file. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) options: ResolvedRedisConfigOptions,
    private readonly state: NodeState,
  ) {
    this.file = options.snapshotPath ? new SnapshotFile(options.snapshotPath) : null;
  }

  /** True when the node now runs on the snapshot. */
  async restore(): Promise<boolean> {
    if (!this.file) return false;
    const result = await this.file.read();
    if (result && 'problem' in result)
      this.logger.warn(`Ignoring ${this.file.path}: ${result.problem}`);
    if (!result || 'problem' in result) return false;
    const frozen = ({ name, version, config }: ConfigGroup) => frozenGroup(name, version, config);
    const own = result.group ? frozen(result.group) : null;
    const shared = result.shared.map(frozen);
    if (!own && shared.length === 0) return false;
    this.state.restore(own, shared);
    return true;
  }

  /** Saves the current sources (nothing when the node has none). */
  save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    this.writing = this.writing.then(async () => {
      const group = this.state.current;
      const shared = this.state.sharedGroups();
      if (!group && shared.length === 0) return;
      await file.write({ group, shared }).catch((error: Error) => {
        this.logger.warn(`Cannot write snapshot ${file.path}: ${error.message}`);
      });
    });
    return this.writing;
  }
}
