import { listVariable } from '../utils/env';
import { groupNameProblem } from '../wire/config-group-record';

/** Upper bound of `RCC_SHARED_GROUPS`: each one costs a node a digest per tick and a layer. */
export const MAX_SHARED_GROUPS = 16;

/**
 * `sharedGroups` / `RCC_SHARED_GROUPS` (comma-separated), checked: valid group names, no
 * duplicates, at most {@link MAX_SHARED_GROUPS}, and not the group the node asks for (a node never
 * holds one of its shared groups as its own).
 */
export function resolveSharedGroups(
  option: readonly string[] | undefined,
  raw: string | undefined,
  requested: string,
): string[] {
  const names = option ? [...option] : listVariable(raw);
  const fail = (why: string) => {
    throw new Error(`RCC_SHARED_GROUPS ${why}`);
  };
  if (names.length > MAX_SHARED_GROUPS)
    fail(`lists ${names.length} groups; at most ${MAX_SHARED_GROUPS}`);
  for (const name of names) {
    const problem = groupNameProblem(name);
    if (problem) fail(`has an invalid group name ${JSON.stringify(name)}: ${problem}`);
  }
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) fail(`lists "${duplicate}" twice`);
  if (names.includes(requested))
    fail(`must not list "${requested}", the group this node asks for (DEFAULT_CONFIG_GROUP)`);
  return names;
}
