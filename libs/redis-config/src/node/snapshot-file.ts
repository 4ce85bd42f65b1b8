import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseStoredGroup } from '../wire/config-group-record';
import type { ConfigGroup } from './config-change';

/**
 * The node's last good group on disk, in the stored-group JSON format, so that a node can start
 * with Redis down. Written atomically (temp file + rename): a crash never leaves half a file.
 */
export class SnapshotFile {
  constructor(readonly path: string) {}

  async read(): Promise<{ group: ConfigGroup } | { problem: string } | null> {
    let raw: string;
    try {
      raw = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return { problem: (error as Error).message };
    }
    const parsed = parseStoredGroup(raw);
    if ('problem' in parsed) return { problem: `snapshot ${parsed.problem}` };
    const { name, version, config } = parsed.record;
    return { group: { name, version, config } };
  }

  async write(group: ConfigGroup): Promise<void> {
    const json = JSON.stringify({
      group_name: group.name,
      group_version: group.version,
      config_dict: group.config,
      saved_at: new Date().toISOString(),
    });
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, json, { mode: 0o600 }); // groups hold API keys
    await rename(temp, this.path);
  }
}
