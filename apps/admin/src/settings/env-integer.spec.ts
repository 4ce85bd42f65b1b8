import { envInteger } from './env-integer';

describe('envInteger', () => {
  it('falls back when unset or blank, reads an integer in range', () => {
    expect(envInteger({}, 'X', 7, 1, 10)).toBe(7);
    expect(envInteger({ X: '  ' }, 'X', 7, 1, 10)).toBe(7);
    expect(envInteger({ X: '10' }, 'X', 7, 1, 10)).toBe(10);
  });

  it.each(['0', '11', '2.5', 'ten', '1e309'])('refuses %j, naming the variable', (raw) => {
    expect(() => envInteger({ RCC_ROLLOUT_TICK_MS: raw }, 'RCC_ROLLOUT_TICK_MS', 7, 1, 10)).toThrow(
      `RCC_ROLLOUT_TICK_MS must be an integer from 1 to 10, got ${JSON.stringify(raw)}`,
    );
  });
});
