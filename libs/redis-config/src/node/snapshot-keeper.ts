import { Inject, Injectable, Logger } from '@nestjs/common';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import { ConfigGroup, frozenGroup } from './config-change';
import { NodeState } from './node-state';
import { openSecrets, resealed } from './secret-opening';
import { SnapshotFile } from './snapshot-file';

/**
 * Reads the node's sources from `RCC_SNAPSHOT_PATH` at start (applied as a `snapshot` input by the
 * pipeline), and saves them after each change.
 */
@Injectable()
export class SnapshotKeeper {
  private readonly logger = new Logger('RedisConfig');
  private readonly file: SnapshotFile | null;
  /** Writes run one after another: they share one temp file. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly state: NodeState,
  ) {
    this.file = options.snapshotPath ? new SnapshotFile(options.snapshotPath) : null;
  }

  /** The sources kept in the snapshot, opened; null when there is none this node can use. */
  async restore(): Promise<{ own: ConfigGroup | null; shared: ConfigGroup[] } | null> {
    if (!this.file) return null;
    const result = await this.file.read();
    if (result && 'problem' in result)
      this.logger.warn(`Ignoring ${this.file.path}: ${result.problem}`);
    if (!result || 'problem' in result) return null;
    // Secrets are kept encrypted on disk: a snapshot this node cannot decrypt is not used.
    const groups = [...(result.group ? [result.group] : []), ...result.shared];
    const opened = groups.map((group) => openSecrets(group, this.options.encryption));
    const problem = opened.findIndex((item) => 'problem' in item);
    if (problem >= 0) {
      const { name, version } = groups[problem];
      const why = (opened[problem] as { problem: string }).problem;
      this.logger.warn(`Ignoring ${this.file.path}: group "${name}" version ${version}: ${why}`);
      return null;
    }
    const frozen = ({ name, version }: ConfigGroup, i: number) =>
      frozenGroup(name, version, (opened[i] as { config: ConfigGroup['config'] }).config);
    const own = result.group ? frozen(result.group, 0) : null;
    const shared = result.shared.map((group, i) => frozen(group, i + (own ? 1 : 0)));
    if (!own && shared.length === 0) return null;
    return { own, shared };
  }

  /** Saves the current sources (nothing when the node has none). */
  save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    this.writing = this.writing.then(async () => {
      const group = this.state.current;
      const shared = this.state.sharedGroups();
      if (!group && shared.length === 0) return;
      const { encryption, isSecretKey } = this.options;
      const sealed = (source: ConfigGroup): ConfigGroup => ({
        ...source,
        config: resealed(source.name, source.config, encryption, isSecretKey),
      });
      const content = { group: group && sealed(group), shared: shared.map(sealed) };
      await file.write(content).catch((error: Error) => {
        this.logger.warn(`Cannot write snapshot ${file.path}: ${error.message}`);
      });
    });
    return this.writing;
  }
}
