const RAW_JSON_FIELDS = Symbol('rcc:admin:raw-json-fields');

/** Says what is wrong with a value, or null when it is fine. */
export type ProblemCheck = (value: unknown) => string | null;

export interface RawJsonFieldRule {
  field: string;
  problem: ProblemCheck;
}

type RuleHolder = { [RAW_JSON_FIELDS]?: RawJsonFieldRule[] };

/**
 * Marks a DTO property whose value is user data kept exactly as sent (a group's config), checked
 * by `problem` on the value as parsed. The validation pipe keeps it away from class-transformer
 * and from Nest's ValidationPipe, which would rebuild it and silently delete keys named
 * `__proto__`, `constructor` or `prototype` (and could even change its prototype): a config must
 * never lose a key without a word.
 */
export function RawJsonField(problem: ProblemCheck): PropertyDecorator {
  return (target, key) => {
    const holder = target.constructor as unknown as RuleHolder;
    const inherited = holder[RAW_JSON_FIELDS] ?? [];
    holder[RAW_JSON_FIELDS] = [...inherited, { field: String(key), problem }];
  };
}

/** The raw-JSON properties of a DTO class (inherited ones included). */
export function rawJsonFieldRules(type: unknown): RawJsonFieldRule[] {
  return typeof type === 'function' ? ((type as RuleHolder)[RAW_JSON_FIELDS] ?? []) : [];
}
