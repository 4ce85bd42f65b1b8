/** The environment as the feature settings read it. */
export type Env = Record<string, string | undefined>;

/**
 * An integer variable of a feature's settings: `fallback` when unset or blank, else an integer in
 * [min, max]; anything else throws naming the variable and what it got.
 */
export function envInteger(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}
