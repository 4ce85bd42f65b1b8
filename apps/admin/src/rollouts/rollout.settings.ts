import { integerVariable } from '@rcc/redis-config/publisher';

type Env = NodeJS.ProcessEnv;

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

export function resolveRolloutSettings(env: Env = process.env): RolloutSettings {
  const verifyMs = integerVariable(
    'RCC_ROLLOUT_VERIFY_MS',
    env.RCC_ROLLOUT_VERIFY_MS,
    3000,
    50,
    600_000,
  );
  const tickMs = integerVariable('RCC_ROLLOUT_TICK_MS', env.RCC_ROLLOUT_TICK_MS, 200, 10, 60_000);
  return { verifyMs, tickMs, driverLeaseMs: Math.max(2000, tickMs * 15) };
}
