import { rolloutEvent, webhookEvent } from './webhook-event';

describe('webhookEvent', () => {
  const now = new Date('2026-12-01T20:00:00.000Z');

  it('announces a write with a time-ordered id', () => {
    const event = webhookEvent(
      { kind: 'rolled-back', group: 'g', version: 4, author: 'ops' },
      'ns',
      now,
    );
    expect(event).toEqual({
      id: expect.stringMatching(/^1796155200000-[0-9a-f]{12}$/),
      type: 'rolled-back',
      occurredAt: '2026-12-01T20:00:00.000Z',
      namespace: 'ns',
      group: 'g',
      version: 4,
      author: 'ops',
    });
  });

  it('marks a new group as created, whether by POST or by PUT', () => {
    const write = { group: 'g', version: 0, author: 'ops' };
    expect(webhookEvent({ ...write, kind: 'created' }, 'ns', now)).toMatchObject({
      type: 'published',
      created: true,
    });
    expect(webhookEvent({ ...write, kind: 'published' }, 'ns', now).created).toBe(true);
    expect(webhookEvent({ ...write, kind: 'published', version: 1 }, 'ns', now)).not.toHaveProperty(
      'created',
    );
  });

  it('names the groups of an import', () => {
    const write = { kind: 'imported' as const, group: null, version: null, author: 'ci' };
    expect(webhookEvent({ ...write, groups: ['a', 'b'] }, 'ns', now)).toMatchObject({
      type: 'imported',
      groups: ['a', 'b'],
    });
  });

  it('announces a rollout move with its rollout, never a config value', () => {
    const event = rolloutEvent(
      'rollout.rolled-back',
      {
        id: 'r1',
        group: 'g',
        version: 5,
        status: 'rolled-back',
        step: 1,
        canaryNodes: ['n1'],
        problems: [{ nodeId: 'n1', reason: 'refused' }],
      },
      'ops',
      'ns',
      now,
    );
    expect(event).toEqual({
      id: expect.stringMatching(/^1796155200000-[0-9a-f]{12}$/),
      type: 'rollout.rolled-back',
      occurredAt: '2026-12-01T20:00:00.000Z',
      namespace: 'ns',
      group: 'g',
      version: 5,
      author: 'ops',
      rollout: {
        id: 'r1',
        status: 'rolled-back',
        step: 1,
        canaryNodes: ['n1'],
        problems: [{ nodeId: 'n1', reason: 'refused' }],
      },
    });
  });
});
