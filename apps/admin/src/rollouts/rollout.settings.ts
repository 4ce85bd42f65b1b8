/** Settings of rollouts (read beside the feature). */
export interface RolloutSettings {
  /** `RCC_ROLLOUT_VERIFY_MS` (3000): how long verification waits for every node's answer. */
  verifyMs: number;
  /** `RCC_ROLLOUT_TICK_MS` (200): how often the driving admin looks at the running rollouts. */
  tickMs: number;
  /** Lease of the driving admin (`{ns}:rollout-driver`): 15 ticks, at least 2 s. */
  driverLeaseMs: number;
}

export const ROLLOUT_SETTINGS = Symbol('ROLLOUT_SETTINGS');

type Env = Record<string, string | undefined>;

export function resolveRolloutSettings(env: Env = process.env): RolloutSettings {
  const verifyMs = integer(env, 'RCC_ROLLOUT_VERIFY_MS', 3000, 50, 600_000);
  const tickMs = integer(env, 'RCC_ROLLOUT_TICK_MS', 200, 10, 60_000);
  return { verifyMs, tickMs, driverLeaseMs: Math.max(2000, tickMs * 15) };
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}
