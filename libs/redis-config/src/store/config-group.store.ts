import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConfigConnection } from '../connection/redis-config-connection';
import {
  ConfigGroupExistsError,
  ConfigGroupNotFoundError,
  ConfigVersionConflictError,
  InvalidConfigInputError,
} from '../errors';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import {
  assertValidGroup,
  canonicalJson,
  ConfigDict,
  ConfigGroupRecord,
  parseStoredGroup,
  storedGroupTemplate,
} from '../wire/config-group-record';
import { changedKeys } from '../wire/changed-keys';
import { ConfigKeys } from '../wire/config-keys';
import { writeKeys } from '../wire/write-keys';
// The publisher's scripts are defined on the connection on first use (a node never loads them).
import { withPublisherScripts } from '../wire/publisher-scripts';
import { globMatcher } from '../utils/glob';
import { openConfigWherePossible, sealConfig, sealedKeys } from '../secrets/config-secrets';
import { ExportEntry, parseImportFile } from './import-file';
import { ReplicationGuard } from './replication-guard';
import { rekeyNamespace, RekeyOptions, RekeyResult } from './namespace-rekey';
import { registerPublisherProvider } from '../utils/publisher-registry';

/** Options of a write ({@link ConfigGroupStore.publish} and the like). */
export interface PublishOptions {
  /**
   * The version the caller last read; -1 = the group must not exist yet (create). A different
   * stored version throws {@link ConfigVersionConflictError}. Left out: no check.
   */
  expectedVersion?: number;
  /** Who made the change, kept with the version (null when left out). */
  author?: string;
  /** Why, kept with the version (null when left out). */
  comment?: string;
}

/**
 * What a write did ({@link ConfigGroupStore.publish}, `create`, `rollback`): the version written,
 * and what it changed against the version it replaced, known from the write itself (no read of
 * the history).
 */
export interface ConfigGroupWrite extends ConfigGroupRecord {
  /** The version it replaced; null when the write created the group. */
  previousVersion: number | null;
  /** Top-level keys added, removed or changed, by name (never a value), sorted. */
  changedKeys: string[];
}

/** One group as {@link ConfigGroupStore.list} shows it. */
export interface ConfigGroupSummary {
  /** The group's name. */
  name: string;
  /** Its current version. */
  version: number;
  /** How many top-level keys its config holds. */
  keyCount: number;
  /** ISO time of its last write; null for data written by others that has none. */
  updatedAt: string | null;
}

/** One kept version of a group, as {@link ConfigGroupStore.history} lists it. */
export interface HistoryEntry extends ConfigGroupRecord {
  /** True for the version the group holds now (the newest entry). */
  current: boolean;
}

/** What an import does to one group of the file. */
export interface ImportPlanEntry {
  /** The group's name. */
  name: string;
  /** `create` (absent now), `update` (its config differs) or `unchanged` (same config). */
  action: 'create' | 'update' | 'unchanged';
  /** The version stored now; null when the group is absent. */
  currentVersion: number | null;
  /** The version the import writes (for `unchanged`, the current one). */
  newVersion: number | null;
}

/** What {@link ConfigGroupStore.import} did, or with `dryRun` would do. */
export interface ImportResult {
  /** True when only the plan was made. */
  dryRun: boolean;
  /** True when the import was written (all of it). */
  applied: boolean;
  /** Names of the groups created, in the file's order. */
  created: string[];
  /** Names of the groups given a new version, in the file's order. */
  updated: string[];
  /** Names of the groups left alone (same config), in the file's order. */
  unchanged: string[];
  /** The plan, one entry per group of the file, in its order. */
  entries: ImportPlanEntry[];
}

/** An event type the publish script sends; nodes turn it into their change reason. */
type PublishEvent = 'published' | 'rollback';

/**
 * The publisher's side (the old project's `config_server`): every write is one Lua script, so the
 * version goes up exactly once per write, the old version lands in the history, and nodes are told.
 * With `encryptionKeys`, every write stores the values of the `secretKeys` encrypted, and every read
 * hands them out decrypted (a value none of the keys opens stays as stored).
 */
@Injectable()
export class ConfigGroupStore {
  private replicationGuard: ReplicationGuard | null = null;

  /** @internal Built by Nest's injector. */
  constructor(
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
  ) {}

  /** Built on first use: a shared client exists only once every provider is built. */
  private get replication(): ReplicationGuard {
    this.replicationGuard ??= new ReplicationGuard(
      this.connection.client as Redis,
      this.options.writeReplicas,
      this.options.writeReplicaTimeoutMs,
    );
    return this.replicationGuard;
  }

  /** Creates a group at version 0, or replaces it with version + 1. */
  async publish(
    name: string,
    config: ConfigDict,
    options: PublishOptions = {},
  ): Promise<ConfigGroupWrite> {
    return this.write(name, config, options, 'published');
  }

  /** Creates a group; `ConfigGroupExistsError` when the name is taken. */
  async create(
    name: string,
    config: ConfigDict,
    options: Omit<PublishOptions, 'expectedVersion'> = {},
  ): Promise<ConfigGroupWrite> {
    try {
      return await this.write(name, config, { ...options, expectedVersion: -1 }, 'published');
    } catch (error) {
      if (error instanceof ConfigVersionConflictError) throw new ConfigGroupExistsError(name);
      throw error;
    }
  }

  /** The current version of a group; null when it does not exist. */
  async get(name: string): Promise<ConfigGroupRecord | null> {
    const raw = await this.connection.client.hget(this.keys.groups, name);
    return raw === null ? null : this.opened(this.readRecord(name, raw));
  }

  /** Every group, sorted by name; `search` keeps names containing it (case-insensitive, plain text). */
  async list(search?: string): Promise<ConfigGroupSummary[]> {
    const all = await this.connection.client.hgetall(this.keys.groups);
    const needle = search?.toLowerCase();
    return Object.keys(all)
      .filter((name) => !needle || name.toLowerCase().includes(needle))
      .sort()
      .map((name) => {
        const record = this.readRecord(name, all[name]);
        return {
          name,
          version: record.version,
          keyCount: Object.keys(record.config).length,
          updatedAt: record.updatedAt,
        };
      });
  }

  /** Names of the groups matching a glob (`RCC_POOL`), sorted. */
  async names(pattern = '*'): Promise<string[]> {
    const matches = globMatcher(pattern);
    const names = await this.connection.client.hkeys(this.keys.groups);
    return names.filter(matches).sort();
  }

  /** Deletes a group and its history; its nodes are told at once. False when it did not exist. */
  async delete(name: string): Promise<boolean> {
    const removed = await withPublisherScripts(this.connection.client).rccDelete(
      ...writeKeys(this.keys),
      this.keys.history(name),
      this.keys.rollout(name),
      this.keys.runningRollouts,
      name,
      this.keys.groupChannels,
    );
    if (removed === 1) await this.replication.confirm();
    return removed === 1;
  }

  /** Every kept version, newest first; the first one is the current version. */
  async history(name: string): Promise<HistoryEntry[]> {
    const [current, rows] = await Promise.all([
      this.get(name),
      this.connection.client.lrange(this.keys.history(name), 0, -1),
    ]);
    if (!current) throw new ConfigGroupNotFoundError(name);
    const entries: HistoryEntry[] = [];
    for (const raw of rows) {
      const parsed = parseStoredGroup(raw, name);
      if ('record' in parsed) entries.push({ ...this.opened(parsed.record), current: false });
    }
    if (entries[0]?.version !== current.version) entries.unshift({ ...current, current: true });
    else entries[0].current = true;
    return entries;
  }

  /**
   * One kept version of a group, or null when the history no longer keeps it. Reads about one
   * record, not the whole history (see {@link ConfigGroupStore.history}).
   *
   * @throws {@link ConfigGroupNotFoundError} when the group does not exist.
   */
  async getVersion(name: string, version: number): Promise<HistoryEntry | null> {
    return (await this.kept(name, version)).entry;
  }

  /** Publishes the content of an earlier version as a new version. */
  async rollback(
    name: string,
    version: number,
    options: Omit<PublishOptions, 'expectedVersion'> & { expectedVersion?: number } = {},
  ): Promise<ConfigGroupWrite> {
    const { current, entry: target } = await this.kept(name, version);
    if (!target) throw new ConfigGroupNotFoundError(name, version);
    return this.write(
      name,
      target.config,
      {
        expectedVersion: options.expectedVersion ?? current.version,
        author: options.author,
        comment: options.comment ?? `rollback to version ${version}`,
      },
      'rollback',
    );
  }

  /**
   * All groups in the old project's export format, sorted by name; with `sealedKeys`, each entry
   * also says which keys are stored encrypted (`sealed_keys`, not part of the old format).
   */
  async export(options: { sealedKeys?: boolean } = {}): Promise<ExportEntry[]> {
    const all = await this.connection.client.hgetall(this.keys.groups);
    return Object.keys(all)
      .sort()
      .map((name) => {
        const record = this.opened(this.readRecord(name, all[name]));
        const entry = {
          group_name: name,
          group_version: record.version,
          config_dict: record.config,
        };
        return options.sealedKeys && record.sealedKeys
          ? { ...entry, sealed_keys: record.sealedKeys }
          : entry;
      });
  }

  /**
   * Imports an export file (the old project's format), all-or-nothing. A new group keeps the
   * file's version; a changed one gets its current version + 1; an equal one is left alone.
   * With `dryRun`, only says what it would do. Invalid files throw `InvalidConfigInputError`.
   */
  async import(
    file: unknown,
    options: { dryRun?: boolean; author?: string; comment?: string } = {},
  ): Promise<ImportResult> {
    const entries = parseImportFile(file);
    const names = entries.map((entry) => entry.group_name);
    const stored = names.length
      ? await this.connection.client.hmget(this.keys.groups, ...names)
      : [];
    const plan: ImportPlanEntry[] = entries.map((entry, index) => {
      const raw = stored[index];
      const current = raw === null ? null : this.opened(this.readRecord(entry.group_name, raw));
      const config = entry.config_dict ?? {};
      if (!current) {
        return {
          name: entry.group_name,
          action: 'create',
          currentVersion: null,
          newVersion: entry.group_version ?? 0,
        };
      }
      const same = canonicalJson(current.config) === canonicalJson(config);
      return {
        name: entry.group_name,
        action: same ? 'unchanged' : 'update',
        currentVersion: current.version,
        newVersion: same ? current.version : current.version + 1,
      };
    });
    const result: ImportResult = {
      dryRun: options.dryRun ?? false,
      applied: false,
      created: plan.filter((p) => p.action === 'create').map((p) => p.name),
      updated: plan.filter((p) => p.action === 'update').map((p) => p.name),
      unchanged: plan.filter((p) => p.action === 'unchanged').map((p) => p.name),
      entries: plan,
    };
    if (result.dryRun) return result;

    const writes = plan
      .map((p, index) => ({ plan: p, entry: entries[index] }))
      .filter(({ plan: p }) => p.action !== 'unchanged');
    const updatedAt = new Date().toISOString();
    const args: (string | number)[] = [
      this.options.historyLimit,
      this.keys.groupChannels,
      this.keys.control,
      this.options.eventInlineMaxBytes,
    ];
    for (const { plan: p, entry } of writes) {
      const raw = stored[names.indexOf(p.name)];
      const before =
        raw === null ? [] : (this.opened(this.readRecord(p.name, raw)).sealedKeys ?? []);
      const config = this.sealed(p.name, entry.config_dict ?? {}, before);
      const template = storedGroupTemplate(p.name, config, {
        updatedAt,
        author: options.author,
        comment: options.comment ?? 'import',
      });
      args.push(
        p.name,
        p.currentVersion ?? -1,
        `${template.before}${p.newVersion}${template.after}`,
        p.newVersion as number,
        JSON.stringify(p.name),
      );
    }
    const keys = [...writeKeys(this.keys), ...writes.map((w) => this.keys.history(w.plan.name))];
    const [status, conflictName, actual] = await withPublisherScripts(
      this.connection.client,
    ).rccImport(keys.length, ...keys, ...args);
    if (status === 'CONFLICT') {
      const expected = plan.find((p) => p.name === conflictName)?.currentVersion ?? null;
      throw new ConfigVersionConflictError(
        conflictName as string,
        expected,
        (actual as number) < 0 ? null : (actual as number),
      );
    }
    await this.replication.confirm();
    return { ...result, applied: true };
  }

  /**
   * Re-encrypts every group of the namespace with the first key of `RCC_ENCRYPTION_KEY`,
   * decrypting with any of them, all-or-nothing: a value no key opens throws
   * `SecretDecryptionError` (naming group, version, key and key id) and nothing is written. A
   * changed group gets version + 1 (comment "rekey"); history entries are re-encrypted in place.
   */
  rekey(options: RekeyOptions = {}): Promise<RekeyResult> {
    return rekeyNamespace(this.connection.client, this.keys, this.options, options);
  }

  private async write(
    name: string,
    config: ConfigDict,
    options: PublishOptions,
    event: PublishEvent,
  ): Promise<ConfigGroupWrite> {
    assertValidGroup(name, config);
    const { expectedVersion } = options;
    if (
      expectedVersion !== undefined &&
      (!Number.isSafeInteger(expectedVersion) || expectedVersion < -1)
    ) {
      throw new InvalidConfigInputError([
        { field: 'expectedVersion', message: 'must be an integer ≥ 0' },
      ]);
    }
    const updatedAt = new Date().toISOString();
    const alsoSealed = await this.currentlySealed(name);
    const template = storedGroupTemplate(name, this.sealed(name, config, alsoSealed), {
      updatedAt,
      author: options.author,
      comment: options.comment,
    });
    const [status, version, replaced] = await withPublisherScripts(
      this.connection.client,
    ).rccPublish(
      ...writeKeys(this.keys),
      this.keys.history(name),
      name,
      template.before,
      template.after,
      expectedVersion === undefined ? '' : String(expectedVersion),
      this.options.historyLimit,
      this.keys.groupChannels,
      this.keys.control,
      event,
      JSON.stringify(name),
      this.options.eventInlineMaxBytes,
    );
    if (status === 'CONFLICT') {
      throw new ConfigVersionConflictError(
        name,
        expectedVersion === -1 ? null : (expectedVersion ?? null),
        version < 0 ? null : version,
      );
    }
    await this.replication.confirm();
    const written = JSON.parse(JSON.stringify(config)) as ConfigDict;
    const before = replaced ? this.replacedRecord(name, replaced) : null;
    return {
      name,
      version,
      config: written,
      updatedAt,
      author: options.author ?? null,
      comment: options.comment ?? null,
      previousVersion: replaced ? version - 1 : null,
      changedKeys: changedKeys(before?.config ?? {}, written),
    };
  }

  /** The record a write replaced, opened (a re-sealed secret is not a change); null if unreadable. */
  private replacedRecord(name: string, raw: string): ConfigGroupRecord | null {
    const parsed = parseStoredGroup(raw, name);
    return 'record' in parsed ? this.opened(parsed.record) : null;
  }

  /**
   * The config as stored: secret values encrypted when `RCC_ENCRYPTION_KEY` is set — those of the
   * secret keys, and those of `alsoSealed` (keys stored encrypted now: a value sealed by a
   * publisher with wider globs stays a secret when this one writes it back).
   */
  private sealed(name: string, config: ConfigDict, alsoSealed: readonly string[] = []): ConfigDict {
    const ring = this.options.encryption;
    if (!ring) return config;
    const isSecret = this.options.isSecretKey;
    const isSealed = alsoSealed.length
      ? (key: string) => isSecret(key) || alsoSealed.includes(key)
      : isSecret;
    return sealConfig(config, ring, isSealed, name);
  }

  /** The keys stored encrypted in `name`'s current record (one read, only with a key ring). */
  private async currentlySealed(name: string): Promise<string[]> {
    if (!this.options.encryption) return [];
    const raw = await this.connection.client.hget(this.keys.groups, name);
    if (raw === null) return [];
    const parsed = parseStoredGroup(raw, name);
    return 'record' in parsed ? sealedKeys(parsed.record.config) : [];
  }

  /**
   * The current record and one kept version. Each write pushes its record at the head of the
   * history, so a history without gaps keeps version v at index (current − v): one `LINDEX`. The
   * whole list is read only when that entry is another version (writes made straight into the
   * hash, e.g. by the old project, leave gaps). Only the entry returned is decrypted.
   */
  private async kept(
    name: string,
    version: number,
  ): Promise<{ current: ConfigGroupRecord; entry: HistoryEntry | null }> {
    const current = await this.get(name);
    if (!current) throw new ConfigGroupNotFoundError(name);
    if (version === current.version) return { current, entry: { ...current, current: true } };
    if (!Number.isSafeInteger(version) || version < 0 || version > current.version) {
      return { current, entry: null };
    }
    const history = this.keys.history(name);
    const versionOf = (raw: string | null) => {
      const parsed = raw === null ? null : parseStoredGroup(raw, name);
      return parsed && 'record' in parsed && parsed.record.version === version
        ? parsed.record
        : null;
    };
    const client = this.connection.client;
    const found =
      versionOf(await client.lindex(history, current.version - version)) ??
      (await client.lrange(history, 0, -1)).map(versionOf).find((record) => record !== null);
    return { current, entry: found ? { ...this.opened(found), current: false } : null };
  }

  /** A record with its secrets decrypted in memory (those no key given opens stay encrypted). */
  private opened(record: ConfigGroupRecord): ConfigGroupRecord {
    const sealed = sealedKeys(record.config);
    if (!sealed.length) return record;
    const config = openConfigWherePossible(record.config, this.options.encryption, record.name);
    return { ...record, config, sealedKeys: sealed };
  }

  /** Stored data written by others may be broken: such a group reads as empty, version 0. */
  private readRecord(name: string, raw: string): ConfigGroupRecord {
    const parsed = parseStoredGroup(raw, name);
    if ('record' in parsed) return parsed.record;
    return { name, version: 0, config: {}, updatedAt: null, author: null, comment: null };
  }
}

// Provided by RedisConfigModule once loaded (see publisher-registry).
registerPublisherProvider(ConfigGroupStore);
