import { integerVariable } from '@rcc/redis-config/publisher';

type Env = NodeJS.ProcessEnv;

/** Settings of the audit log (read beside the feature, as the webhooks' are). */
export interface AuditSettings {
  /** `RCC_AUDIT_LIMIT` (10,000): entries kept; older ones are trimmed as new ones come. */
  limit: number;
}

export const AUDIT_SETTINGS = Symbol('AUDIT_SETTINGS');

/** Reads and checks `RCC_AUDIT_LIMIT`; throws naming it. */
export function resolveAuditSettings(env: Env = process.env): AuditSettings {
  return {
    limit: integerVariable('RCC_AUDIT_LIMIT', env.RCC_AUDIT_LIMIT, 10_000, 100, 10_000_000),
  };
}
