/**
 * Defects the hostile and fault suites found outside the test folders. While a flag is false, its
 * test in `known-bugs.e2e-spec.ts` (or pattern-cost) runs as `it.failing`: the run stays green
 * and the test proves the defect is still there; the property generators leave that input out.
 * Set the flag to true with the fix: the test then runs as a plain `it` (a regression test).
 */
export const FIXED = {
  /** `groupNameProblem` accepts lone UTF-16 surrogates; Redis stores them as U+FFFD. */
  loneSurrogateNames: true, // fixed in 49379d3
  /**
   * `configProblem` accepts lone surrogates in config keys and strings; Redis's Lua cjson cannot
   * decode them, so the write scripts see the stored group as unreadable: the next write resets
   * its version to 0 and every `expectedVersion` conflicts.
   */
  loneSurrogateConfigs: true, // fixed in 49379d3
  /**
   * A node with a class-validator `validate` class refuses any config holding a `constructor`
   * key below the top level: class-transformer reads `value.constructor` as the nested type and
   * throws a TypeError ("targetType is not a constructor"). Fails closed, but a valid config
   * cannot be applied, with a message that does not say why.
   */
  nestedConstructorKeyWithSchema: true, // fixed in 49379d3
  /**
   * The fix above falls back to `Object.assign(Object.create(schema.prototype), config)`: a
   * top-level `constructor` or `__proto__` key of the same config then replaces the instance's
   * constructor or prototype, class-validator finds no metadata, and the valid config is
   * refused ("an unknown value was passed to the validate function").
   */
  schemaFallbackPrototypeKeys: true, // fixed: prototype keys are left out of what the schema checks
  /**
   * `globMatcher` bounds the pattern (256 characters) but not the number of comma-separated
   * globs: 51 globs cost 51 scans of every name, 1-2 s over 10k groups (each decision does it).
   */
  commaGlobCost: true, // fixed in 49379d3 (at most 16 globs)
  /**
   * Placed nodes never move onto a pool group that appears without an event: a plain HSET (the
   * old Python nodes, redis-cli), or a publish missed while the subscriber was reconnecting after
   * a Redis restart (the soak shows spread 9 for minutes). The refresh does not look for new
   * groups; only the `published` event of a group unknown to the node triggers a rebalance.
   */
  rebalanceOnSilentNewGroup: true, // fixed: the refresh compares the number of groups (HLEN)
  /** The admin validation pipe `structuredClone`s non-config fields: deep nesting gives a 500. */
  deepNonConfigFields: true, // fixed: fields other than a config deeper than 32 levels are a 400
};
