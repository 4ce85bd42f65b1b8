/** Settings of the audit log (read beside the feature, as the webhooks' are). */
export interface AuditSettings {
  /** `RCC_AUDIT_LIMIT` (10,000): entries kept; older ones are trimmed as new ones come. */
  limit: number;
}

export const AUDIT_SETTINGS = Symbol('AUDIT_SETTINGS');

const MIN = 100;
const MAX = 10_000_000;

/** Reads and checks `RCC_AUDIT_LIMIT`; throws naming it. */
export function resolveAuditSettings(
  env: Record<string, string | undefined> = process.env,
): AuditSettings {
  const raw = env.RCC_AUDIT_LIMIT;
  if (raw === undefined || raw.trim() === '') return { limit: 10_000 };
  const limit = Number(raw);
  if (!Number.isSafeInteger(limit) || limit < MIN || limit > MAX) {
    throw new Error(
      `RCC_AUDIT_LIMIT must be an integer from ${MIN} to ${MAX}, got ${JSON.stringify(raw)}`,
    );
  }
  return { limit };
}
