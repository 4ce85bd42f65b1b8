/** The longest wait between two attempts: a receiver down for hours is tried every 10 minutes. */
export const MAX_RETRY_DELAY_MS = 10 * 60_000;

/**
 * Exponential back-off: `base` after the first failed attempt, then twice as long each time,
 * capped. `attempt` is the number of the attempt that just failed (1 = the first).
 */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS);
}
