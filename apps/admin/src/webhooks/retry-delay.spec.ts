import { MAX_RETRY_DELAY_MS, retryDelayMs } from './retry-delay';

describe('retryDelayMs', () => {
  it('doubles from the base after each failed attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 1000))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('is capped', () => {
    expect(retryDelayMs(40, 1000)).toBe(MAX_RETRY_DELAY_MS);
  });
});
