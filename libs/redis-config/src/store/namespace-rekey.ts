import type { Redis } from 'ioredis';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import type { ConfigKeys } from '../wire/config-keys';
import type { RedisClient } from '../wire/redis-scripts';
import { planGroupRekey, rekeyCandidate, RekeyGroupPlan, RekeyWrite } from './rekey-plan';
import { ReplicationGuard } from './replication-guard';
import { NOTIFY_LUA } from '../wire/lua/notify.lua';

/** Options of {@link ConfigGroupStore.rekey}. */
export interface RekeyOptions {
  /** Only say what would change. */
  dryRun?: boolean;
  /** Who rekeyed, kept with each new version. */
  author?: string;
  /** Kept with each new version. @defaultValue `'rekey'` */
  comment?: string;
}

/** What {@link ConfigGroupStore.rekey} did, or with `dryRun` would do. */
export interface RekeyResult {
  /** True when only the plan was made. */
  dryRun: boolean;
  /** True when the writes were made (all of them, in one transaction). */
  applied: boolean;
  /** The id of the key everything is now encrypted with (the first of `RCC_ENCRYPTION_KEY`). */
  keyId: string;
  /** Groups that change, by name; groups with nothing to re-encrypt are not listed. */
  groups: RekeyGroupPlan[];
  /** How many groups were looked at. */
  checked: number;
  /** Groups whose rollout's candidate is encrypted anew (it holds secrets too). */
  rolloutCandidates: string[];
}

/** A concurrent write is retried this many times before the rekey gives up (nothing written). */
const ATTEMPTS = 3;

/**
 * Re-encrypts a namespace with the first key, all-or-nothing: WATCH on the groups hash and every
 * history list, everything read and planned (decrypting with any key; one value no key opens
 * throws and nothing is written), then one MULTI/EXEC. A group whose current record changes gets
 * version + 1 (nodes compare versions; same content, new ciphertext) and its nodes are told;
 * history entries are rewritten in place (same versions) so that a rollback still decrypts once
 * the old key is gone. A dedicated connection: WATCH state must not mix with other commands.
 */
export async function rekeyNamespace(
  client: RedisClient,
  keys: ConfigKeys,
  options: ResolvedRedisConfigOptions,
  rekey: RekeyOptions,
): Promise<RekeyResult> {
  const ring = options.encryption;
  if (!ring) throw new Error('rekey needs the keys: set RCC_ENCRYPTION_KEY (the first encrypts)');
  const connection = (client as Redis).duplicate();
  try {
    await ready(connection, options.startupTimeoutMs);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      await connection.watch(keys.groups);
      const all = await connection.hgetall(keys.groups);
      const names = Object.keys(all).sort();
      const historyKeys = names.map((name) => keys.history(name));
      if (historyKeys.length) await connection.watch(...historyKeys);
      const histories = await Promise.all(historyKeys.map((key) => connection.lrange(key, 0, -1)));
      // A rollout's candidate holds the next config, secrets included: encrypted anew as well.
      const rolloutKeys = names.map((name) => keys.rollout(name));
      if (rolloutKeys.length) await connection.watch(...rolloutKeys);
      const candidates = await Promise.all(
        rolloutKeys.map((key) => connection.hget(key, 'candidate')),
      );
      const context = {
        ring,
        isSecretKey: options.isSecretKey,
        historyLimit: options.historyLimit,
        updatedAt: new Date().toISOString(),
        author: rekey.author,
        comment: rekey.comment ?? 'rekey',
      };
      let writes: RekeyWrite[];
      let candidateWrites: { name: string; candidate: string }[];
      try {
        writes = names
          .map((name, i) => planGroupRekey(name, all[name], histories[i], context))
          .filter((write): write is RekeyWrite => write !== null);
        candidateWrites = names.flatMap((name, i) => {
          const candidate = rekeyCandidate(name, candidates[i], context);
          return candidate === null ? [] : [{ name, candidate }];
        });
      } catch (error) {
        await connection.unwatch();
        throw error;
      }
      const result: RekeyResult = {
        dryRun: rekey.dryRun ?? false,
        applied: false,
        keyId: ring.sealingId,
        groups: writes.map((write) => write.plan),
        checked: names.length,
        rolloutCandidates: candidateWrites.map((write) => write.name),
      };
      if (result.dryRun || writes.length + candidateWrites.length === 0) {
        await connection.unwatch();
        return result;
      }
      const transaction = connection.multi();
      for (const { plan, record, history } of writes) {
        const historyKey = keys.history(plan.name);
        transaction.del(historyKey);
        if (history.length) transaction.rpush(historyKey, ...history);
        if (record !== null) transaction.hset(keys.groups, plan.name, record);
      }
      for (const { name, candidate } of candidateWrites) {
        transaction.hset(keys.rollout(name), 'candidate', candidate);
      }
      const published = writes.filter((write) => write.record !== null);
      if (published.length) transaction.incr(keys.revision);
      if (published.length) {
        // No record inline: each node reads its group back (a rekey is rare, groups may be big).
        // Each event on its group's channel only, as a publish sends it.
        const events = published.flatMap(({ plan }) => [
          plan.name,
          JSON.stringify({ v: 2, type: 'published', group: plan.name, version: plan.newVersion }),
        ]);
        transaction.eval(NOTIFY_LUA, 2, keys.digests, keys.protocol, keys.groupChannels, ...events);
      }
      if ((await transaction.exec()) !== null) {
        // WAIT counts the writes of the connection that made them: this one.
        const { writeReplicas, writeReplicaTimeoutMs } = options;
        await new ReplicationGuard(connection, writeReplicas, writeReplicaTimeoutMs).confirm();
        return { ...result, applied: true };
      }
    }
    throw new Error(
      `the namespace kept changing during the rekey (${ATTEMPTS} attempts): nothing was written, run it again`,
    );
  } finally {
    connection.disconnect();
  }
}

/** Our clients queue nothing while offline: the new connection is used once it is ready. */
function ready(connection: Redis, timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.off('ready', onReady);
      reject(new Error(`the rekey connection was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    connection.once('ready', onReady);
  });
}
