import {
  isRunning,
  ROLLOUT_STATUSES,
  parseNodeIds,
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

/** Mutation testing (docs/TESTING.md): each check of hostile Redis data, one field at a time. */
describe('rollout wire format: every field checked', () => {
  const parse = (changes: Record<string, unknown>) =>
    parseRolloutState(JSON.stringify({ ...state, ...changes }));

  it.each([
    ['id', 1],
    ['group', null],
    ['status', 5],
    ['baseVersion', -1],
    ['baseVersion', 1.5],
    ['version', '4'],
    ['step', null],
    ['startedAtMs', -1],
    ['steps', 'x'],
    ['stepStartedAtMs', -1],
    ['finishedAtMs', 'soon'],
    ['revertedVersion', 2.5],
    ['author', 7],
    ['comment', {}],
    ['outcome', false],
  ])('refuses a state whose %s is %j', (field, value) => {
    expect(parse({ [field]: value })).toBeNull();
  });

  it('refuses what is not an object, and reads absent optional fields as null', () => {
    expect(parseRolloutState('[1]')).toBeNull();
    expect(parseRolloutState('"text"')).toBeNull();
    const optional = {
      ...state,
      stepStartedAtMs: undefined,
      finishedAtMs: undefined,
      revertedVersion: undefined,
      author: undefined,
      comment: undefined,
      outcome: undefined,
      published: 'yes',
    };
    expect(parseRolloutState(JSON.stringify(optional))).toEqual({
      ...state,
      stepStartedAtMs: null,
      finishedAtMs: null,
      revertedVersion: null,
      author: null,
      comment: null,
      outcome: null,
      published: false,
    });
    const full = { ...state, finishedAtMs: 9, revertedVersion: 5, comment: 'c', outcome: 'o' };
    expect(parse({ finishedAtMs: 9, revertedVersion: 5, comment: 'c', outcome: 'o' })).toEqual(
      full,
    );
    expect(parse({ published: true })?.published).toBe(true);
    // Only the step fields are kept.
    expect(parse({ steps: [{ percent: 10, bakeMs: 0, extra: 1 }] })?.steps).toEqual([
      { percent: 10, bakeMs: 0 },
    ]);
  });

  it('reads each message type and refuses each bad field', () => {
    const message = { type: 'state', group: 'g', id: 'r1', status: 'canary', step: 0 };
    for (const type of ['verify', 'state', 'problem'])
      expect(parseRolloutMessage(JSON.stringify({ ...message, type }))?.type).toBe(type);
    for (const bad of [
      { group: 1 },
      { id: null },
      { status: 'weird' },
      { step: -1 },
      { step: '1' },
    ])
      expect(parseRolloutMessage(JSON.stringify({ ...message, ...bad }))).toBeNull();
    expect(parseRolloutMessage('[]')).toBeNull();
    expect(parseRolloutMessage(JSON.stringify({ ...message, extra: 1 }))).toEqual(message);
  });

  it('reads node ids and problems, dropping what is not theirs', () => {
    expect(parseNodeIds('["a",1,"b"]')).toEqual(['a', 'b']);
    expect(parseNodeIds('{}')).toEqual([]);
    expect(parseNodeIds(null)).toEqual([]);
    expect(parseProblems(null)).toEqual([]);
    expect(parseProblems('[{"nodeId":"n","reason":"r","atMs":1.5}]')).toEqual([
      { nodeId: 'n', reason: 'r', atMs: null },
    ]);
    expect(parseProblems('[{"nodeId":"n","reason":5}, 3]')).toEqual([]);
    expect(parseRolloutAnswer(null)).toBeNull();
    expect(parseRolloutAnswer('[]')).toBeNull();
    expect(parseRolloutAnswer('{"ok":"true"}')).toBeNull();
    expect(parseRolloutAnswer('{"ok":false,"reason":1}')).toBeNull();
  });

  it('bounds a step list: 20 steps, percent 1–100, bakeMs 0–86400000, each said', () => {
    const steps = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ percent: i + 1, bakeMs: 0 }));
    expect(stepsProblem(steps(20))).toBeNull();
    expect(stepsProblem(steps(21))).toEqual({
      field: 'steps',
      message: 'must hold at most 20 steps',
    });
    expect(stepsProblem([])).toBeNull();
    expect(stepsProblem([null])).toEqual({ field: 'steps[0]', message: 'must be an object' });
    expect(stepsProblem([{ percent: 1, bakeMs: 0 }])).toBeNull();
    expect(stepsProblem([{ percent: 100, bakeMs: 86400000 }])).toBeNull();
    expect(stepsProblem([{ percent: 0, bakeMs: 0 }])).toEqual({
      field: 'steps[0].percent',
      message: 'must be an integer from 1 to 100',
    });
    expect(stepsProblem([{ percent: 1.5, bakeMs: 0 }])?.field).toBe('steps[0].percent');
    expect(
      stepsProblem([
        { percent: 50, bakeMs: 0 },
        { percent: 40, bakeMs: 0 },
      ]),
    ).toEqual({ field: 'steps[1].percent', message: 'must be greater than the step before' });
    expect(stepsProblem([{ percent: 50, bakeMs: 86400001 }])).toEqual({
      field: 'steps[0].bakeMs',
      message: 'must be an integer from 0 to 86400000',
    });
    expect(stepsProblem([{ percent: 50, bakeMs: 0.5 }])?.field).toBe('steps[0].bakeMs');
  });
});

describe('running statuses', () => {
  it('are verifying and canary, and only they', () => {
    expect(ROLLOUT_STATUSES.filter(isRunning)).toEqual(['verifying', 'canary']);
  });
});
