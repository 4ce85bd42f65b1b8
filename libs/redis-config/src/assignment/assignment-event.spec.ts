import type { NamespaceEvent } from '../wire/namespace-event';
import { NodeView, reactionTo } from './assignment-event';

const node = (overrides: Partial<NodeView> = {}): NodeView => ({
  holding: 'assigned',
  group: 'a',
  requested: 'default',
  inPool: (group) => group.startsWith('a') || group.length === 1,
  capacity: 0,
  ...overrides,
});
const released = (group: string, loads: Record<string, number>): NamespaceEvent => ({
  type: 'released',
  group,
  loads: new Map(Object.entries(loads)),
});
const added = (group: string): NamespaceEvent => ({
  type: 'published',
  group,
  version: 0,
  inline: null,
});

describe('reactionTo', () => {
  it('lets a node holding none take a freed place at once', () => {
    expect(reactionTo(released('b', { a: 1 }), node({ holding: 'none', group: null }))).toBe(
      'place',
    );
  });

  it('lets a node take its requested group when a place there frees up', () => {
    expect(reactionTo(released('x', {}), node({ requested: 'x' }))).toBe('place');
  });

  it('asks to rebalance only when its own group may be two above another', () => {
    expect(reactionTo(released('b', { a: 3, b: 1, c: 2 }), node())).toBe('rebalance');
    expect(reactionTo(released('b', { a: 2, b: 1, c: 2 }), node())).toBeNull();
    // The freed group missing from the loads holds nobody.
    expect(reactionTo(released('c', { a: 2, b: 2 }), node())).toBe('rebalance');
  });

  it('does not count a full group as a place to move to', () => {
    const view = node({ capacity: 3 });
    expect(reactionTo(released('b', { a: 3, b: 3 }), view)).toBeNull();
    expect(reactionTo(released('b', { a: 3, b: 1 }), view)).toBe('rebalance');
  });

  it('never moves a pinned node voluntarily', () => {
    expect(reactionTo(released('b', { a: 9 }), node({ holding: 'pinned' }))).toBeNull();
    expect(reactionTo(added('new'), node({ holding: 'pinned' }))).toBeNull();
  });

  it('asks to rebalance when a new group of its pool is published', () => {
    expect(reactionTo(added('abc'), node())).toBe('rebalance');
    const update: NamespaceEvent = { type: 'published', group: 'b', version: 4, inline: null };
    expect(reactionTo(update, node())).toBeNull(); // an update, not a new group
    expect(reactionTo(added('zz'), node())).toBeNull(); // not in the pool
    expect(reactionTo(added('abc'), node({ holding: 'none', group: null }))).toBe('place');
  });

  it('ignores deletions (the follower handles its own group)', () => {
    expect(reactionTo({ type: 'deleted', group: 'a' }, node())).toBeNull();
    expect(reactionTo({ type: 'deleted', group: 'a' }, node({ holding: 'none' }))).toBeNull();
  });

  it('reads a group named __proto__ in the loads as a group', () => {
    const view = node({ group: '__proto__', inPool: () => true });
    expect(reactionTo(released('b', { ['__proto__']: 5, a: 3 }), view)).toBe('rebalance');
  });

  it('takes a place on a protocol 2 release (no loads) only when waiting for one', () => {
    const freed: NamespaceEvent = { type: 'released', group: 'b', loads: null };
    expect(reactionTo(freed, node({ holding: 'none', group: null }))).toBe('place');
    expect(reactionTo(freed, node({ requested: 'b' }))).toBe('place');
    expect(reactionTo(freed, node())).toBeNull(); // balance is asked for with `rebalance`
  });

  it('rebalances on a rebalance ask of its own group only, and never a pinned node', () => {
    const ask = (group: string): NamespaceEvent => ({ type: 'rebalance', group });
    expect(reactionTo(ask('a'), node())).toBe('rebalance');
    expect(reactionTo(ask('b'), node())).toBeNull();
    expect(reactionTo(ask('a'), node({ holding: 'pinned' }))).toBeNull();
    expect(reactionTo(ask('a'), node({ holding: 'none', group: null }))).toBeNull();
  });

  it('treats a created group like a new one in its pool', () => {
    const created = (group: string): NamespaceEvent => ({ type: 'created', group });
    expect(reactionTo(created('abc'), node())).toBe('rebalance');
    expect(reactionTo(created('abc'), node({ holding: 'none', group: null }))).toBe('place');
    expect(reactionTo(created('zz'), node())).toBeNull();
  });
});
