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
const released = (group: string): NamespaceEvent => ({ type: 'released', group });
const added = (group: string): NamespaceEvent => ({ type: 'created', group });

describe('reactionTo', () => {
  it('lets a node holding none take a freed place at once', () => {
    expect(reactionTo(released('b'), node({ holding: 'none', group: null }))).toBe('place');
  });

  it('lets a node take its requested group when a place there frees up', () => {
    expect(reactionTo(released('x'), node({ requested: 'x' }))).toBe('place');
  });

  it('does not move on a freed place when it holds one (balance is asked with rebalance)', () => {
    expect(reactionTo(released('b'), node())).toBeNull();
  });

  it('never moves a pinned node voluntarily', () => {
    expect(reactionTo(released('b'), node({ holding: 'pinned' }))).toBeNull();
    expect(reactionTo(added('new'), node({ holding: 'pinned' }))).toBeNull();
  });

  it('asks to rebalance when a new group of its pool is created', () => {
    expect(reactionTo(added('abc'), node())).toBe('rebalance');
    const update: NamespaceEvent = { type: 'published', group: 'b', version: 0, inline: null };
    expect(reactionTo(update, node())).toBeNull(); // a write; a new group is announced by created
    expect(reactionTo(added('zz'), node())).toBeNull(); // not in the pool
    expect(reactionTo(added('abc'), node({ holding: 'none', group: null }))).toBe('place');
  });

  it('ignores deletions (the follower handles its own group)', () => {
    expect(reactionTo({ type: 'deleted', group: 'a' }, node())).toBeNull();
    expect(reactionTo({ type: 'deleted', group: 'a' }, node({ holding: 'none' }))).toBeNull();
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
