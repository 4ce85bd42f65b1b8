// `node:fs/promises` is loaded on first use (`fs.promises`): importing it costs every node ~2-5 ms
// of start-up (bench/entry-require), and most nodes never keep a snapshot.
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { isPlainObject, readStoredGroup } from '../wire/config-group-record';
import type { ConfigGroup } from './config-change';

/** What a snapshot holds: the own group (null: none) and the shared groups that existed. */
export interface SnapshotContent {
  group: ConfigGroup | null;
  shared: ConfigGroup[];
}

/**
 * The node's last good sources on disk, so that a node can start with Redis down: the own group
 * in the stored-group JSON format (files written before shared groups still read), and each
 * shared group in that format under `shared`. Written atomically (temp file + rename): a crash
 * never leaves half a file.
 */
export class SnapshotFile {
  constructor(readonly path: string) {}

  async read(): Promise<SnapshotContent | { problem: string } | null> {
    let raw: string;
    try {
      raw = await fs.promises.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return { problem: (error as Error).message };
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { problem: 'snapshot is not valid JSON' };
    }
    if (!isPlainObject(json)) return { problem: 'snapshot is not a JSON object' };
    const sharedJson = Array.isArray(json.shared) ? (json.shared as unknown[]) : [];
    const own = 'group_name' in json || sharedJson.length === 0 ? readGroup(json) : null;
    if (own && 'problem' in own) return { problem: `snapshot ${own.problem}` };
    const shared: ConfigGroup[] = [];
    for (const entry of sharedJson) {
      const group = readGroup(entry);
      if ('problem' in group) return { problem: `snapshot's shared group ${group.problem}` };
      shared.push(group);
    }
    return { group: own, shared };
  }

  async write({ group, shared }: SnapshotContent): Promise<void> {
    const json = JSON.stringify({
      ...(group ? storedJson(group) : {}),
      shared: shared.map(storedJson),
      saved_at: new Date().toISOString(),
    });
    await fs.promises.mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    await fs.promises.writeFile(temp, json, { mode: 0o600 }); // groups hold API keys
    await fs.promises.rename(temp, this.path);
  }
}

function readGroup(json: unknown): ConfigGroup | { problem: string } {
  const parsed = readStoredGroup(json);
  if ('problem' in parsed) return parsed;
  const { name, version, config } = parsed.record;
  return { name, version, config };
}

function storedJson(group: ConfigGroup) {
  return { group_name: group.name, group_version: group.version, config_dict: group.config };
}
