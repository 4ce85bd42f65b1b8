import { SecretDecryptionError } from '../errors';
import { SealedValueError, type EncryptionKeyRing } from '../secrets/encryption-key-ring';
import { looksSealed, sealedKeyId } from '../secrets/sealed-value';
import {
  parseStoredGroup,
  storedGroupTemplate,
  type ConfigDict,
} from '../wire/config-group-record';

/** What a rekey does to one group. */
export interface RekeyGroupPlan {
  /** The group's name. */
  name: string;
  /** Its version now. */
  version: number;
  /** The version written (current + 1, comment "rekey"); null when its current record is left as is. */
  newVersion: number | null;
  /** How many values of the current record are encrypted anew (re-encrypted, or clear secrets). */
  values: number;
  /** How many kept history entries are rewritten in place (their versions unchanged). */
  historyEntries: number;
}

/** The writes of one group that a rekey makes (its plan says what they mean). */
export interface RekeyWrite {
  plan: RekeyGroupPlan;
  /** The new current record; null: only the history changes. */
  record: string | null;
  /** The whole new history list, newest first. */
  history: string[];
}

/** What the planner needs besides the data: the keys, the secret globs, who and when. */
export interface RekeyContext {
  ring: EncryptionKeyRing;
  isSecretKey: (key: string) => boolean;
  historyLimit: number;
  updatedAt: string;
  author?: string;
  comment: string;
}

/**
 * Plans the rekey of one group from its stored record and history, without writing: every value
 * encrypted with another key than the first is decrypted (with any key) and encrypted with the
 * first; clear values of secret keys are encrypted too. Throws {@link SecretDecryptionError} for
 * the first value no key opens, naming group, version, key and key id. Records that are not
 * readable (written by others, broken) are left alone.
 */
export function planGroupRekey(
  name: string,
  raw: string,
  historyRaw: readonly string[],
  context: RekeyContext,
): RekeyWrite | null {
  const parsed = parseStoredGroup(raw, name);
  if ('problem' in parsed) return null;
  const { version, config } = parsed.record;
  const current = rekeyConfig(name, version, config, context);
  let rewrittenEntries = 0;
  const history = historyRaw.map((entry) => {
    const rewritten = rekeyEntry(name, entry, context);
    if (rewritten !== entry) rewrittenEntries++;
    return rewritten;
  });
  if (!current.changed && rewrittenEntries === 0) return null;
  let record: string | null = null;
  if (current.changed) {
    const template = storedGroupTemplate(name, current.config, context);
    record = `${template.before}${version + 1}${template.after}`;
    // As the publish script does: a version written by others is kept before it is replaced.
    const head = history.length ? parseStoredGroup(history[0], name) : null;
    if (!head || !('record' in head) || head.record.version !== version) {
      history.unshift(rekeyEntry(name, raw, context));
    }
    history.unshift(record);
    history.length = Math.min(history.length, context.historyLimit);
  }
  const plan: RekeyGroupPlan = {
    name,
    version,
    newVersion: record === null ? null : version + 1,
    values: current.count,
    historyEntries: rewrittenEntries,
  };
  return { plan, record, history };
}

/** A history entry with its values rekeyed, the same text when nothing changes. */
/**
 * A rollout's stored candidate (`{ns}:rollout:<group>` field `candidate`, a config's JSON) with its
 * secrets encrypted under the first key, as its group's records are; null when nothing changes.
 */
export function rekeyCandidate(
  name: string,
  raw: string | null,
  context: RekeyContext,
): string | null {
  if (raw === null) return null;
  let config: unknown;
  try {
    config = JSON.parse(raw);
  } catch {
    return null; // not ours to fix: the rollout store refuses it when read
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return null;
  const result = rekeyConfig(name, null, config as ConfigDict, context);
  return result.changed ? JSON.stringify(result.config) : null;
}

function rekeyEntry(name: string, raw: string, context: RekeyContext): string {
  const parsed = parseStoredGroup(raw, name);
  if ('problem' in parsed) return raw;
  const result = rekeyConfig(name, parsed.record.version, parsed.record.config, context);
  if (!result.changed) return raw;
  const json = JSON.parse(raw) as Record<string, unknown>;
  return JSON.stringify({ ...json, config_dict: result.config });
}

function rekeyConfig(
  name: string,
  version: number | null,
  config: ConfigDict,
  { ring, isSecretKey }: RekeyContext,
): { changed: boolean; count: number; config: ConfigDict } {
  let count = 0;
  const next = Object.fromEntries(
    Object.entries(config).map(([key, value]): [string, unknown] => {
      if (looksSealed(value)) {
        if (sealedKeyId(value) === ring.sealingId) {
          // Already under the first key: checked (a rekey fails on what nodes would refuse).
          open(ring, value, name, key, version);
          return [key, value];
        }
        count++;
        return [key, ring.seal(open(ring, value, name, key, version), name, key)];
      }
      if (!isSecretKey(key)) return [key, value];
      count++;
      return [key, ring.seal(value, name, key)];
    }),
  );
  return { changed: count > 0, count, config: next };
}

function open(
  ring: EncryptionKeyRing,
  value: string,
  group: string,
  key: string,
  version: number | null,
): unknown {
  try {
    return ring.open(value, group, key);
  } catch (error) {
    if (!(error instanceof SealedValueError)) throw error;
    throw new SecretDecryptionError(group, key, error.keyId, error.reason, version);
  }
}
