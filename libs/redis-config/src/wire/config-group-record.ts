import { createHash } from 'node:crypto';
import { InputProblem, InvalidConfigInputError } from '../errors';

/** A group's settings: a JSON object whose values are kept exactly as written. */
export type ConfigDict = Record<string, unknown>;

/** The JSON stored per group in the namespace hash (the old project's format, plus extras). */
export interface StoredGroupJson {
  group_name: string;
  group_version: number;
  config_dict: ConfigDict | null;
  updated_at?: string;
  author?: string;
  comment?: string;
}

/** One version of a group, as the library hands it out. */
export interface ConfigGroupRecord {
  /** The group's name. */
  name: string;
  /** This version's number: each write of the group raises it by one. */
  version: number;
  /** Its settings. */
  config: ConfigDict;
  /** ISO time of the write; null for data written by others (the old project) that has none. */
  updatedAt: string | null;
  /** Who wrote this version; null when not given. */
  author: string | null;
  /** Why it was written; null when not given. */
  comment: string | null;
  /**
   * Publisher reads only: the top-level keys whose values are stored encrypted, whatever their
   * name (a publisher with wider `RCC_SECRET_KEYS` sealed them). They are secrets: show them
   * masked, and a write keeps them encrypted. Absent when there are none.
   */
  sealedKeys?: string[];
}

export const MAX_GROUP_NAME_LENGTH = 128;

/** A UTF-16 surrogate without its other half: not valid Unicode, not storable as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a group name is not acceptable, or null when it is (DESIGN §7, admin issue). */
export function groupNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'must be a string';
  if (name.length === 0) return 'must not be empty';
  if (name.length > MAX_GROUP_NAME_LENGTH)
    return `must be at most ${MAX_GROUP_NAME_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain control characters';
  if (name.trim() !== name) return 'must not start or end with white space';
  // `/api/groups/./history` is another route: a URL could never address such a group.
  if (name === '.' || name === '..') return 'must not be "." or ".."';
  // Redis would store a lone surrogate as U+FFFD: the field and the JSON would name two groups.
  if (LONE_SURROGATE.test(name)) return 'must be valid Unicode (it holds a lone surrogate)';
  // Braces are Redis Cluster hash-tag characters: they would move our keys to other slots.
  if (/[{}]/.test(name)) return 'must not contain "{" or "}"';
  return null;
}

/** True for `{...}` made by a JSON parser or an object literal: not an array, not a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Why a config is not acceptable, or null when it is: a JSON object of JSON values. */
export function configProblem(config: unknown): string | null {
  if (!isPlainObject(config)) return 'must be a JSON object';
  return jsonValueProblem(config, 0);
}

const MAX_DEPTH = 64;

function jsonValueProblem(value: unknown, depth: number): string | null {
  if (depth > MAX_DEPTH) return `nests deeper than ${MAX_DEPTH} levels`;
  if (value === null || typeof value === 'boolean') return null;
  // Redis's Lua cjson cannot read a lone surrogate back: the stored group would look broken.
  if (typeof value === 'string')
    return LONE_SURROGATE.test(value) ? 'holds a string that is not valid Unicode' : null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'holds a non-finite number';
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = jsonValueProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (LONE_SURROGATE.test(key)) return 'holds a key that is not valid Unicode';
      const problem = jsonValueProblem(value[key], depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  return `holds a value that is not JSON (${typeof value})`;
}

/** Throws `InvalidConfigInputError` naming every problem of a (name, config) pair. */
export function assertValidGroup(name: unknown, config: unknown): void {
  const problems: InputProblem[] = [];
  const nameIssue = groupNameProblem(name);
  if (nameIssue) problems.push({ field: 'name', message: nameIssue });
  const configIssue = configProblem(config);
  if (configIssue) problems.push({ field: 'config', message: configIssue });
  if (problems.length) throw new InvalidConfigInputError(problems);
}

/** A stored group read: the record, or why it cannot be used. */
export type StoredGroupReading = { record: ConfigGroupRecord } | { problem: string };

/**
 * Reads one stored group JSON, written by us or by anyone else (the old project, redis-cli).
 * Returns the record, or a reason why it cannot be used; never throws.
 */
export function parseStoredGroup(raw: string, expectedName?: string): StoredGroupReading {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { problem: 'is not valid JSON' };
  }
  return readStoredGroup(json, expectedName);
}

/** `parseStoredGroup` for JSON already parsed (a record carried inside a change event). */
export function readStoredGroup(json: unknown, expectedName?: string): StoredGroupReading {
  if (!isPlainObject(json)) return { problem: 'is not a JSON object' };
  const { group_name, group_version, config_dict } = json;
  if (typeof group_name !== 'string') return { problem: 'has no string "group_name"' };
  if (expectedName !== undefined && group_name !== expectedName)
    return { problem: `names group "${group_name}" under field "${expectedName}"` };
  if (!Number.isSafeInteger(group_version) || (group_version as number) < 0)
    return { problem: '"group_version" is not a non-negative integer' };
  if (config_dict !== null && config_dict !== undefined && !isPlainObject(config_dict))
    return { problem: '"config_dict" is neither an object nor null' };
  return {
    record: {
      name: group_name,
      version: group_version as number,
      config: (config_dict as ConfigDict | null | undefined) ?? {},
      updatedAt: typeof json.updated_at === 'string' ? json.updated_at : null,
      author: typeof json.author === 'string' ? json.author : null,
      comment: typeof json.comment === 'string' ? json.comment : null,
    },
  };
}

/** SHA-1 (hex) of a stored record's JSON: what Redis's `redis.sha1hex` gives for the same bytes. */
export function recordDigest(raw: string): string {
  return createHash('sha1').update(raw).digest('hex');
}

/**
 * The stored JSON of a record, split around its version so that a Lua script can put in the
 * version it decides without re-encoding the config (Lua's cjson would reorder keys and turn
 * empty arrays into objects; values must stay exactly as written).
 */
export function storedGroupTemplate(
  name: string,
  config: ConfigDict,
  meta: { updatedAt: string; author?: string | null; comment?: string | null },
): { before: string; after: string } {
  const extras: Record<string, string> = { updated_at: meta.updatedAt };
  if (meta.author) extras.author = meta.author;
  if (meta.comment) extras.comment = meta.comment;
  const tail = JSON.stringify(extras).slice(1); // `"updated_at":"...",...}`
  return {
    before: `{"group_name":${JSON.stringify(name)},"group_version":`,
    after: `,"config_dict":${JSON.stringify(config)},${tail}`,
  };
}

/** Canonical JSON (object keys sorted), to tell whether two configs hold the same settings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
