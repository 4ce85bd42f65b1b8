import { hostname, networkInterfaces } from 'node:os';
import type { ClusterNode, ClusterOptions, RedisOptions } from 'ioredis';
import type { ConfigDict } from '../wire/config-group-record';
import { MetricsOption, resolveMetrics, ResolvedMetrics } from './metrics-option';
import { integerVariable, listVariable, portVariable } from '../utils/env';
import { globMatcher } from '../utils/glob';
import { resolveSharedGroups } from './shared-groups.option';
import { EncryptionKeyRing } from '../secrets/encryption-key-ring';
import { DEFAULT_SECRET_KEYS, secretKeyMatcher } from '../secrets/secret-keys';

/**
 * A class with class-validator decorators: a group is turned into an instance with
 * class-transformer and checked with `validateSync` (both packages must then be installed).
 */
export type ValidationClass = new (...args: never[]) => object;
/** Throws (any error) to reject a group on this node; the node keeps its last good group. */
export type ValidateFunction = (config: Readonly<ConfigDict>) => void;

/** How to reach Redis. Every field falls back to the env variables of DESIGN §5. */
export type RedisConnectionOption =
  /** A plain Redis or Sentinel connection (`url`: a host name or a `redis://`/`rediss://` URL). */
  | (RedisOptions & { url?: string })
  /** A Redis Cluster. */
  | { clusterNodes: ClusterNode[]; clusterOptions?: ClusterOptions }
  /** Reuse a client the app registered with `@liaoliaots/nestjs-redis`, by its namespace. */
  | { namespace: string };

/**
 * Options of `RedisConfigModule`. Each one left out falls back to its env variable, then to
 * its default; `resolveOptions` (of `@rcc/redis-config/publisher`) checks them all when the module starts and throws an `Error`
 * naming the first bad one.
 */
export interface RedisConfigModuleOptions {
  /**
   * How to reach Redis. What a plain connection leaves out (or all, when this is left out) comes
   * from `REDIS_URL` (`localhost`), `REDIS_PORT` (6379), `REDIS_DB` (0) and `REDIS_PASSWORD`, with
   * Sentinel when `REDIS_SENTINELS` is set (master `REDIS_SENTINEL_NAME`, `mymaster`). Left out
   * with `REDIS_CLUSTER_NODES` set: that Redis Cluster.
   */
  redis?: RedisConnectionOption;
  /**
   * The hash key of the groups, and the hash tag of every other key (`RCC_NAMESPACE`); must not
   * hold `{` or `}`. @defaultValue `'rcc::config::redis_config_center'`
   */
  namespace?: string;
  /**
   * Stable identity of this node (`RCC_NODE_ID`).
   * @defaultValue host name, first external IPv4 and pid, as `web-1/10.0.0.5/4242`
   */
  nodeId?: string;
  /**
   * The group this node asks for (`DEFAULT_CONFIG_GROUP`); when it does not exist, the node is
   * assigned one from the pool. @defaultValue `'default'`
   */
  group?: string;
  /** Glob of the assignable groups (`RCC_POOL`), such as `apikey-*`. @defaultValue `'*'` */
  pool?: string;
  /**
   * Shared groups this node follows too, lowest precedence first (`RCC_SHARED_GROUPS`,
   * comma-separated; at most 16, not `group`). Its effective config is their top-level keys in
   * this order, then its own group's on top; they are left out of its pool. @defaultValue `[]`
   */
  sharedGroups?: readonly string[];
  /** Capacity of a group (`RCC_MAX_NODES_PER_GROUP`); 0 = unlimited. @defaultValue `0` */
  maxNodesPerGroup?: number;
  /**
   * Period of the safety-net refresh, in ms, at least 10 (`RCC_REFRESH_MS`); changes are pushed.
   * @defaultValue `5000`
   */
  refreshMs?: number;
  /**
   * Node lease, in ms, at least 100 (`RCC_LEASE_MS`): a node silent for this long loses its place.
   * @defaultValue `10000`
   */
  leaseMs?: number;
  /**
   * File where a node keeps its last good group, to start without Redis (`RCC_SNAPSHOT_PATH`).
   * Left out: no snapshot.
   */
  snapshotPath?: string;
  /**
   * How long start-up waits for Redis, in ms (`RCC_STARTUP_TIMEOUT_MS`); then a node starts on its
   * snapshot or on defaults, unless `failFast`. @defaultValue `5000`
   */
  startupTimeoutMs?: number;
  /**
   * Throw `RedisUnavailableError` from start-up when Redis is not reachable within
   * `startupTimeoutMs` (no env variable). @defaultValue `false`
   */
  failFast?: boolean;
  /**
   * Checks the effective config (shared groups and own group layered) before a node applies a
   * change of any source (no env variable); a change that fails is rejected and the node keeps its
   * last good config. Left out: no check.
   */
  validate?: ValidateFunction | ValidationClass;
  /**
   * `false` for an app that only administers groups: it holds no group and is not a node
   * (no env variable). @defaultValue `true`
   */
  node?: boolean;
  /**
   * Environment label shown by the admin (`REDIS_CONFIG_CENTER_TYPE`).
   * @defaultValue `'PRODUCTION'`
   */
  environment?: string;
  /**
   * How many versions of each group the history keeps, the current one included, at least 1
   * (`RCC_HISTORY_LIMIT`). @defaultValue `50`
   */
  historyLimit?: number;
  /**
   * Replicas that must confirm a write (Redis `WAIT`) before the store acknowledges it
   * (`RCC_WRITE_REPLICAS`): 1 by default with Sentinel, so an acknowledged write survives a
   * failover; 0 otherwise. A write not confirmed in time is reported as failed (it may be lost).
   */
  writeReplicas?: number;
  /** How long a write waits for those replicas, in ms (`RCC_WRITE_REPLICA_TIMEOUT_MS`, 1000). */
  writeReplicaTimeoutMs?: number;
  /**
   * A write whose stored record is at most this many bytes carries the record in its change event,
   * so nodes apply it without reading it back (`RCC_EVENT_INLINE_BYTES`, 8192; 0 = never; at most
   * 1 MiB).
   * On a publisher it shapes the events it sends; a node with 0 never takes a record from an
   * event and reads every change back (for Redis ACLs that let more clients PUBLISH than write).
   */
  eventInlineMaxBytes?: number;
  /**
   * Mirror the node's config into `@nestjs/config`'s `ConfigService` under this name
   * (`RCC_CONFIG_SERVICE_NAMESPACE`, say `rcc`): `get('rcc.<key>')` is live. Unset: nothing loaded.
   */
  configServiceNamespace?: string;
  /**
   * Registers the node's Prometheus metrics (`RCC_METRICS`, false): `true` in prom-client's
   * default registry, or `{ registry }`. prom-client (an optional peer) is loaded only then.
   */
  metrics?: MetricsOption;
  /**
   * Encryption at rest of secret values (`RCC_ENCRYPTION_KEY`, comma-separated): keys of 32 bytes
   * in base64, each optionally `id=base64`. The first one encrypts what a publisher writes, every
   * one decrypts (rotation); a node decrypts in memory only, and refuses a version holding a value
   * none of its keys opens. Left out: nothing is encrypted, and a node refuses encrypted values.
   */
  encryptionKeys?: string | readonly string[];
  /**
   * Globs of the top-level keys whose values are secrets (`RCC_SECRET_KEYS`, comma-separated,
   * case-insensitive): with `encryptionKeys`, a publisher stores their values encrypted and a
   * node keeps them encrypted in its snapshot. `''` = none.
   * @defaultValue `'*apikey*,*api_key*,*secret*,*password*,*token*'`
   */
  secretKeys?: string;
}

/** The Redis connection {@link resolveOptions} settled on, by kind. */
export type ResolvedRedisConnection =
  /** One Redis server. */
  | { kind: 'standalone'; options: RedisOptions }
  /** A Sentinel-managed master (`options.sentinels` and `options.name`). */
  | { kind: 'sentinel'; options: RedisOptions }
  /** A Redis Cluster: its seed nodes and cluster options. */
  | { kind: 'cluster'; nodes: ClusterNode[]; options: ClusterOptions }
  /** A client registered with `@liaoliaots/nestjs-redis`, by its namespace. */
  | { kind: 'shared'; namespace: string };

/**
 * The options the module runs with: {@link RedisConfigModuleOptions} merged over the environment
 * and checked, each field set. Injectable as {@link RESOLVED_REDIS_CONFIG_OPTIONS}.
 */
export interface ResolvedRedisConfigOptions {
  /** How the module reaches Redis. */
  redis: ResolvedRedisConnection;
  /** The hash key of the groups, and the hash tag of every other key. */
  namespace: string;
  /** This node's stable identity. */
  nodeId: string;
  /** The group this node asks for. */
  group: string;
  /** Glob of the assignable groups. */
  pool: string;
  /** The shared groups this node follows, lowest precedence first; empty = none. */
  sharedGroups: readonly string[];
  /** Capacity of a group; 0 = unlimited. */
  maxNodesPerGroup: number;
  /** Period of the safety-net refresh, in ms. */
  refreshMs: number;
  /** Node lease, in ms. */
  leaseMs: number;
  /** Snapshot file of the last good group; null = none. */
  snapshotPath: string | null;
  /** How long start-up waits for Redis, in ms. */
  startupTimeoutMs: number;
  /** Whether start-up throws when Redis is not reachable in time. */
  failFast: boolean;
  /** The check each group must pass on this node; null = none. */
  validate: ValidateFunction | ValidationClass | null;
  /** Whether this app is a node (holds a group); false for a publisher only. */
  node: boolean;
  /** Environment label shown by the admin. */
  environment: string;
  /** Versions of each group the history keeps, the current one included. */
  historyLimit: number;
  /** Replicas that must confirm each write (Redis `WAIT`); 0 = none. */
  writeReplicas: number;
  /** How long a write waits for those replicas, in ms. */
  writeReplicaTimeoutMs: number;
  /** Largest stored record, in bytes, carried inside a change event; 0 = never. */
  eventInlineMaxBytes: number;
  /** The `ConfigService` namespace the effective config is mirrored under; null: no bridge. */
  configServiceNamespace: string | null;
  /** `metrics` / `RCC_METRICS`: null when off. */
  metrics: ResolvedMetrics;
  /** The keys of `RCC_ENCRYPTION_KEY` (the first encrypts); null: no encryption. */
  encryption: EncryptionKeyRing | null;
  /** The globs of `RCC_SECRET_KEYS`. */
  secretKeys: string;
  /** Whether a top-level key holds a secret (matches `secretKeys`). */
  isSecretKey: (key: string) => boolean;
}

export const DEFAULT_NAMESPACE = 'rcc::config::redis_config_center';
/** Upper bound of `RCC_EVENT_INLINE_BYTES`: every node receives each event, whatever its group. */
export const MAX_EVENT_INLINE_BYTES = 1_048_576;

type Env = Record<string, string | undefined>;

/**
 * Merges explicit options over the environment, checking every value. The module calls it at
 * start-up; call it yourself to check a configuration early.
 *
 * @param options - Explicit options; each one left out falls back to its env variable.
 * @param env - The env variables to read, `process.env` by default.
 * @returns Every option, set.
 * @throws `Error` naming the first bad value (its env variable), e.g. a non-integer `RCC_LEASE_MS`.
 */
export function resolveOptions(
  options: RedisConfigModuleOptions = {},
  env: Record<string, string | undefined> = process.env,
): ResolvedRedisConfigOptions {
  const integer = (
    name: string,
    value: number | undefined,
    fallback: number,
    min: number,
    max?: number,
  ) => integerVariable(name, value ?? env[name], fallback, min, max);
  const namespace = options.namespace ?? (env.RCC_NAMESPACE || DEFAULT_NAMESPACE);
  if (/[{}]/.test(namespace)) throw new Error('RCC_NAMESPACE must not contain "{" or "}"');
  const redis = resolveConnection(options.redis, env);
  const pool = options.pool ?? (env.RCC_POOL || '*');
  try {
    globMatcher(pool);
  } catch (error) {
    throw new Error(`RCC_POOL: ${(error as Error).message}`);
  }
  const writeReplicas = integer(
    'RCC_WRITE_REPLICAS',
    options.writeReplicas,
    redis.kind === 'sentinel' ? 1 : 0,
    0,
  );
  if (writeReplicas > 0 && redis.kind === 'cluster') {
    // WAIT must reach the master of the namespace's slot; ioredis would send it to any node.
    throw new Error('RCC_WRITE_REPLICAS is not supported with REDIS_CLUSTER_NODES: leave it 0');
  }
  const group = options.group ?? (env.DEFAULT_CONFIG_GROUP || 'default');
  return {
    redis,
    namespace,
    nodeId: options.nodeId ?? (env.RCC_NODE_ID || defaultNodeId()),
    group,
    pool,
    sharedGroups: resolveSharedGroups(options.sharedGroups, env.RCC_SHARED_GROUPS, group),
    maxNodesPerGroup: integer('RCC_MAX_NODES_PER_GROUP', options.maxNodesPerGroup, 0, 0),
    refreshMs: integer('RCC_REFRESH_MS', options.refreshMs, 5000, 10),
    leaseMs: integer('RCC_LEASE_MS', options.leaseMs, 10000, 100),
    snapshotPath: options.snapshotPath ?? (env.RCC_SNAPSHOT_PATH || null),
    startupTimeoutMs: integer('RCC_STARTUP_TIMEOUT_MS', options.startupTimeoutMs, 5000, 0),
    failFast: options.failFast ?? false,
    validate: options.validate ?? null,
    node: options.node ?? true,
    environment: options.environment ?? (env.REDIS_CONFIG_CENTER_TYPE || 'PRODUCTION'),
    historyLimit: integer('RCC_HISTORY_LIMIT', options.historyLimit, 50, 1),
    writeReplicas,
    writeReplicaTimeoutMs: integer(
      'RCC_WRITE_REPLICA_TIMEOUT_MS',
      options.writeReplicaTimeoutMs,
      1000,
      1,
    ),
    eventInlineMaxBytes: integer(
      'RCC_EVENT_INLINE_BYTES',
      options.eventInlineMaxBytes,
      8192,
      0,
      MAX_EVENT_INLINE_BYTES,
    ),
    configServiceNamespace: configServiceNamespace(options, env),
    metrics: resolveMetrics(options.metrics, env.RCC_METRICS),
    encryption: EncryptionKeyRing.parse(options.encryptionKeys ?? env.RCC_ENCRYPTION_KEY),
    ...secretKeys(options.secretKeys ?? env.RCC_SECRET_KEYS ?? DEFAULT_SECRET_KEYS),
  };
}

/** `RCC_SECRET_KEYS` checked (an empty value means "no secret keys", not the default). */
function secretKeys(
  patterns: string,
): Pick<ResolvedRedisConfigOptions, 'secretKeys' | 'isSecretKey'> {
  return { secretKeys: patterns, isSecretKey: secretKeyMatcher(patterns) };
}

/** One name, so that `ConfigService.get('<name>.<key>')` reaches it (a dot would nest it). */
function configServiceNamespace(options: RedisConfigModuleOptions, env: Env): string | null {
  const name = options.configServiceNamespace ?? (env.RCC_CONFIG_SERVICE_NAMESPACE || null);
  if (name !== null && !/^[A-Za-z_$][\w$-]*$/.test(name)) {
    throw new Error(
      `RCC_CONFIG_SERVICE_NAMESPACE must be a name of letters, digits, _ $ - (no "."), got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

function resolveConnection(
  option: RedisConnectionOption | undefined,
  env: Env,
): ResolvedRedisConnection {
  if (option && 'namespace' in option) return { kind: 'shared', namespace: option.namespace };
  if (option && 'clusterNodes' in option) {
    return { kind: 'cluster', nodes: option.clusterNodes, options: option.clusterOptions ?? {} };
  }
  if (!option && env.REDIS_CLUSTER_NODES) {
    const password = env.REDIS_PASSWORD || undefined;
    return {
      kind: 'cluster',
      nodes: parseHostList('REDIS_CLUSTER_NODES', env.REDIS_CLUSTER_NODES),
      options: { redisOptions: { password } },
    };
  }
  const { url, ...explicit } = option ?? {};
  const base: RedisOptions = {
    ...parseRedisUrl(url ?? env.REDIS_URL ?? 'localhost'),
  };
  if (base.port === undefined) base.port = portVariable('REDIS_PORT', env.REDIS_PORT, 6379);
  if (base.db === undefined && env.REDIS_DB) base.db = dbFrom(env.REDIS_DB);
  if (base.password === undefined && env.REDIS_PASSWORD) base.password = env.REDIS_PASSWORD;
  const merged: RedisOptions = { ...base, ...explicit };
  if (!merged.sentinels && env.REDIS_SENTINELS) {
    merged.sentinels = parseHostList('REDIS_SENTINELS', env.REDIS_SENTINELS);
    merged.name = env.REDIS_SENTINEL_NAME || 'mymaster';
  }
  return { kind: merged.sentinels ? 'sentinel' : 'standalone', options: merged };
}

/** `REDIS_URL` as the old project took it (a bare host name) or as a full URL. */
export function parseRedisUrl(value: string): RedisOptions {
  if (!/^rediss?:\/\//i.test(value)) {
    if (!value || /[\s/]/.test(value)) throw new Error(`REDIS_URL is not a host name: "${value}"`);
    return { host: value };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('REDIS_URL is not a valid redis:// URL');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new Error('REDIS_URL has no host name');
  const options: RedisOptions = { host };
  if (url.port) options.port = portVariable('REDIS_URL port', url.port, 6379);
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  const db = url.pathname.replace(/^\//, '');
  if (db) options.db = dbFrom(db);
  if (url.protocol === 'rediss:') options.tls = {};
  return options;
}

function dbFrom(raw: string): number {
  return integerVariable('REDIS_DB', raw, 0, 0);
}

function parseHostList(variable: string, value: string): { host: string; port: number }[] {
  return listVariable(value).map((item) => {
    const match = /^(.+):(\d+)$/.exec(item);
    if (!match) throw new Error(`${variable} must be "host:port,host:port", got "${item}"`);
    return { host: match[1], port: portVariable(`${variable} port`, match[2], 6379) };
  });
}

/** The node's own address, as reported to the admin: its first non-internal IPv4. */
export function nodeAddress(): string {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((info) => info && info.family === 'IPv4' && !info.internal);
  return external?.address ?? '127.0.0.1';
}

/** host name + address + pid: unique per process, readable in the admin. */
function defaultNodeId(): string {
  return `${hostname()}/${nodeAddress()}/${process.pid}`;
}
