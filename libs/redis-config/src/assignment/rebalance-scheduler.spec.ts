import { RebalancePolicy, rebalancePolicy, RebalanceScheduler } from './rebalance-scheduler';

describe('RebalanceScheduler', () => {
  const policy: RebalancePolicy = { settleMs: 100, maxDelayMs: 400, jitterMs: 0, cooldownMs: 1000 };
  let checks: number;
  let scheduler: RebalanceScheduler;

  beforeEach(() => {
    jest.useFakeTimers();
    checks = 0;
    scheduler = new RebalanceScheduler(
      policy,
      () => checks++,
      Date.now,
      () => 0,
    );
  });
  afterEach(() => {
    scheduler.stop();
    jest.useRealTimers();
  });

  it('checks once, after the settle time, for a burst of triggers', () => {
    scheduler.trigger();
    jest.advanceTimersByTime(50);
    scheduler.trigger();
    jest.advanceTimersByTime(99);
    expect(checks).toBe(0);
    jest.advanceTimersByTime(1);
    expect(checks).toBe(1);
    jest.advanceTimersByTime(5000);
    expect(checks).toBe(1);
  });

  it('does not let a stream of triggers put the check off beyond the longest delay', () => {
    for (let t = 0; t < 1000; t += 50) {
      scheduler.trigger();
      jest.advanceTimersByTime(50);
    }
    // One check at least every maxDelayMs while triggers keep coming.
    expect(checks).toBeGreaterThanOrEqual(2);
  });

  it('waits for the cooldown after a voluntary move', () => {
    scheduler.moved();
    scheduler.trigger();
    jest.advanceTimersByTime(999);
    expect(checks).toBe(0);
    jest.advanceTimersByTime(1);
    expect(checks).toBe(1);
  });

  it('checks nothing after stop', () => {
    scheduler.trigger();
    scheduler.stop();
    jest.advanceTimersByTime(10_000);
    scheduler.trigger();
    jest.advanceTimersByTime(10_000);
    expect(checks).toBe(0);
  });

  it('derives its timing from the lease', () => {
    expect(rebalancePolicy(10_000)).toEqual({
      settleMs: 500,
      maxDelayMs: 2000,
      jitterMs: 500,
      cooldownMs: 10_000,
    });
    expect(rebalancePolicy(600).settleMs).toBe(30);
  });
});
