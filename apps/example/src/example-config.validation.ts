import type { ValidateFunction } from '@rcc/redis-config';

/**
 * The example's schema for its effective config (DESIGN §10): `apikey` a non-empty string and
 * `qps_limit` an integer ≥ 1, each when present. A group that fails it is not applied on this node
 * (it keeps its last good config), and a rollout of such a group is refused by this node (422).
 */
export const validateExampleConfig: ValidateFunction = (config) => {
  const problems: string[] = [];
  if ('apikey' in config && (typeof config.apikey !== 'string' || config.apikey.trim() === ''))
    problems.push('apikey must be a non-empty string');
  const qps = config.qps_limit;
  if ('qps_limit' in config && !(Number.isSafeInteger(qps) && (qps as number) >= 1))
    problems.push('qps_limit must be an integer ≥ 1');
  if (problems.length) throw new Error(problems.join('; '));
};
