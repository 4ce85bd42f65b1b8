import {
  parseProblems,
  parseRolloutAnswer,
  parseRolloutMessage,
  parseRolloutState,
  stepsProblem,
} from './rollout-state';

const state = {
  id: 'r1',
  group: 'g',
  baseVersion: 3,
  version: 4,
  status: 'canary',
  step: 1,
  steps: [{ percent: 34, bakeMs: 1000 }],
  startedAtMs: 1,
  stepStartedAtMs: 2,
  finishedAtMs: null,
  published: false,
  revertedVersion: null,
  author: 'ops',
  comment: null,
  outcome: null,
};

describe('rollout wire format', () => {
  it('reads a stored state and refuses anything else', () => {
    expect(parseRolloutState(JSON.stringify(state))).toEqual(state);
    expect(parseRolloutState(null)).toBeNull();
    expect(parseRolloutState('{')).toBeNull();
    expect(parseRolloutState(JSON.stringify({ ...state, status: 'weird' }))).toBeNull();
    expect(parseRolloutState(JSON.stringify({ ...state, step: -1 }))).toBeNull();
    expect(
      parseRolloutState(JSON.stringify({ ...state, steps: [{ percent: 0, bakeMs: 1 }] })),
    ).toBeNull();
  });

  it('reads the channel messages, constant in size, and ignores the rest', () => {
    const message = { type: 'verify', group: 'g', id: 'r1', status: 'verifying', step: 0 };
    expect(parseRolloutMessage(JSON.stringify(message))).toEqual(message);
    expect(parseRolloutMessage(JSON.stringify({ ...message, type: 'other' }))).toBeNull();
    expect(parseRolloutMessage(JSON.stringify({ ...message, step: 1.5 }))).toBeNull();
    expect(parseRolloutMessage('not json')).toBeNull();
  });

  it('reads problems (an empty Lua table is {}) and answers', () => {
    expect(parseProblems('{}')).toEqual([]);
    expect(parseProblems('[{"nodeId":"n","reason":"r","atMs":5},{"nodeId":1}]')).toEqual([
      { nodeId: 'n', reason: 'r', atMs: 5 },
    ]);
    expect(parseRolloutAnswer('{"ok":true}')).toEqual({ ok: true });
    expect(parseRolloutAnswer('{"ok":false,"reason":"no"}')).toEqual({ ok: false, reason: 'no' });
    expect(parseRolloutAnswer('{"ok":false}')).toBeNull();
  });

  it('names the bad field of a step list', () => {
    expect(
      stepsProblem([
        { percent: 34, bakeMs: 0 },
        { percent: 100, bakeMs: 5 },
      ]),
    ).toBeNull();
    expect(stepsProblem('x')).toEqual({ field: 'steps', message: 'must be an array' });
    expect(stepsProblem([{ percent: 101, bakeMs: 0 }])?.field).toBe('steps[0].percent');
    expect(
      stepsProblem([
        { percent: 50, bakeMs: 0 },
        { percent: 50, bakeMs: 0 },
      ])?.message,
    ).toMatch(/greater/);
    expect(stepsProblem([{ percent: 50, bakeMs: -1 }])?.field).toBe('steps[0].bakeMs');
  });
});
