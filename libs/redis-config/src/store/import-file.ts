import { InputProblem, InvalidConfigInputError } from '../errors';
import {
  configProblem,
  ConfigDict,
  groupNameProblem,
  isPlainObject,
} from '../wire/config-group-record';

/** One group of the old project's export file. */
export interface ExportEntry {
  /** The group's name. */
  group_name: string;
  /** Its version (an integer ≥ 0; 0 when a file to import leaves it out). */
  group_version: number;
  /** Its settings; null stands for an empty config. */
  config_dict: ConfigDict | null;
  /**
   * Only from `ConfigGroupStore.export({ sealedKeys: true })`, and not part of the old project's
   * format: the keys whose values are stored encrypted (see `ConfigGroupRecord.sealedKeys`).
   */
  sealed_keys?: string[];
}

export const MAX_IMPORT_ENTRIES = 10_000;

/**
 * Checks a whole export file (the old project's format: a JSON array of
 * `{group_name, group_version, config_dict}`) and lists every problem at once; throws
 * `InvalidConfigInputError` when there is any, so that nothing of a bad file is written.
 */
export function parseImportFile(file: unknown): ExportEntry[] {
  if (!Array.isArray(file)) {
    throw new InvalidConfigInputError([
      {
        field: 'file',
        message: 'must be a JSON array of {group_name, group_version, config_dict}',
      },
    ]);
  }
  if (file.length > MAX_IMPORT_ENTRIES) {
    throw new InvalidConfigInputError([
      { field: 'file', message: `holds ${file.length} groups, at most ${MAX_IMPORT_ENTRIES}` },
    ]);
  }
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const entries: ExportEntry[] = [];
  file.forEach((item: unknown, index) => {
    const at = `[${index}]`;
    if (!isPlainObject(item)) {
      problems.push({ field: at, message: 'must be an object' });
      return;
    }
    const nameIssue = groupNameProblem(item.group_name);
    if (nameIssue) problems.push({ field: `${at}.group_name`, message: nameIssue });
    else if (seen.has(item.group_name as string))
      problems.push({ field: `${at}.group_name`, message: `"${item.group_name}" appears twice` });
    else seen.add(item.group_name as string);
    const version = item.group_version ?? 0;
    if (!Number.isSafeInteger(version) || (version as number) < 0)
      problems.push({ field: `${at}.group_version`, message: 'must be an integer ≥ 0' });
    const config = item.config_dict ?? null;
    const configIssue = config === null ? null : configProblem(config);
    if (configIssue)
      problems.push({ field: `${at}.config_dict`, message: `${configIssue} or null` });
    entries.push({
      group_name: item.group_name as string,
      group_version: version as number,
      config_dict: config as ConfigDict | null,
    });
  });
  if (problems.length) throw new InvalidConfigInputError(problems);
  return entries;
}
