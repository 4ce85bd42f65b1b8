/** Settings of the admin's `GET /metrics` (read here, beside the feature, not in admin-settings). */
export interface MetricsSettings {
  /** `METRICS_TOKEN`: the bearer token `/metrics` asks for; null = open (DESIGN §15). */
  token: string | null;
}

export const METRICS_SETTINGS = Symbol('METRICS_SETTINGS');

// The same alphabet as ADMIN_TOKEN: visible ASCII without spaces or commas.
const TOKEN_PATTERN = /^[\x21-\x2b\x2d-\x7e]{1,512}$/;

/** Reads `METRICS_TOKEN`; throws naming the variable (never its value) when it is unusable. */
export function resolveMetricsSettings(
  env: Record<string, string | undefined> = process.env,
): MetricsSettings {
  const raw = env.METRICS_TOKEN;
  if (raw === undefined || raw === '') return { token: null };
  if (!TOKEN_PATTERN.test(raw)) {
    throw new Error('METRICS_TOKEN must be 1-512 visible ASCII characters, no "," or space');
  }
  return { token: raw };
}
