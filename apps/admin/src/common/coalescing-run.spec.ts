import { CoalescingRun } from './coalescing-run';

/** A pass the test ends by hand, to ask while it runs. */
function controlledWork() {
  const ends: (() => void)[] = [];
  let passes = 0;
  const work = () =>
    new Promise<void>((resolve) => {
      passes += 1;
      ends.push(resolve);
    });
  const endPass = async () => {
    ends.shift()?.();
    // Let the pass's `finally` (and a queued pass) run.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { work, endPass, passes: () => passes };
}

describe('CoalescingRun', () => {
  it('runs one pass at a time, and asks while one runs make exactly one more', async () => {
    const { work, endPass, passes } = controlledWork();
    const run = new CoalescingRun(work);
    run.ask();
    run.ask();
    run.ask();
    expect(passes()).toBe(1);
    await endPass();
    expect(passes()).toBe(2);
    await endPass();
    expect(passes()).toBe(2);
    run.ask();
    expect(passes()).toBe(3);
    await endPass();
  });

  it('stops: no pass after stop(), which waits for the one in flight', async () => {
    const { work, endPass, passes } = controlledWork();
    const run = new CoalescingRun(work);
    run.ask();
    run.ask(); // queued, dropped by stop()
    let stopped = false;
    const stopping = run.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    await endPass();
    await stopping;
    expect(stopped).toBe(true);
    run.ask();
    expect(passes()).toBe(1);
  });
});
