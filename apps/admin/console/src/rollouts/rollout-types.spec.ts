import { parseSteps } from './rollout-types';

describe('parseSteps', () => {
  it('reads percent:bakeMs pairs separated by commas or spaces', () => {
    expect(parseSteps('34:60000, 100%:1000')).toEqual({
      steps: [
        { percent: 34, bakeMs: 60000 },
        { percent: 100, bakeMs: 1000 },
      ],
    });
    expect(parseSteps('')).toEqual({ steps: [] });
    expect(parseSteps('34:6s')).toEqual({ bad: '34:6s' });
  });
});
