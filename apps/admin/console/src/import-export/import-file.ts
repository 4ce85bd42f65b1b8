import type { ConfigDict } from '../api/api-types';

/** One group read from a chosen file, kept as written (the server validates it). */
export interface FileEntry {
  name: string;
  config: ConfigDict;
  raw: unknown;
}

export type FileRead =
  { ok: true; entries: FileEntry[] } | { ok: false; error: 'json' | 'array'; message: string };

/** Reads an export file far enough to preview it; the full validation is the server's. */
export function readImportFile(text: string): FileRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: 'json', message: (error as Error).message };
  }
  if (!Array.isArray(value)) return { ok: false, error: 'array', message: '' };
  const entries = value.map((raw: unknown, index): FileEntry => {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const config = item.config_dict;
    return {
      name: typeof item.group_name === 'string' ? item.group_name : `#${index + 1}`,
      config:
        typeof config === 'object' && config !== null && !Array.isArray(config)
          ? (config as ConfigDict)
          : {},
      raw,
    };
  });
  return { ok: true, entries };
}
