import { TOKEN_PATTERN, tokenMessage } from '../settings/admin-environment';
/** Settings of the admin's `GET /metrics` (read here, beside the feature, not in admin-settings). */
export interface MetricsSettings {
  /** `METRICS_TOKEN`: the bearer token `/metrics` asks for; null = open (DESIGN §15). */
  token: string | null;
}

export const METRICS_SETTINGS = Symbol('METRICS_SETTINGS');

// The same rule as ADMIN_TOKEN: 16-512 visible ASCII characters without spaces or commas.

/** Reads `METRICS_TOKEN`; throws naming the variable (never its value) when it is unusable. */
export function resolveMetricsSettings(
  env: Record<string, string | undefined> = process.env,
): MetricsSettings {
  const raw = env.METRICS_TOKEN;
  if (raw === undefined || raw === '') return { token: null };
  if (!TOKEN_PATTERN.test(raw)) {
    throw new Error(tokenMessage('METRICS_TOKEN'));
  }
  return { token: raw };
}
