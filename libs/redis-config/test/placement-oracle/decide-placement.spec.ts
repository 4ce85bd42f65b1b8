import type { Holder } from '../../src/assignment/holder-entry';
import type { PlacementRequest } from '../../src/assignment/placement';
import { ClusterView, decidePlacement } from './decide-placement';
import { byUtf8, tieBreakOffset } from './tie-break';

const view = (groups: string[], holders: Record<string, Holder> = {}): ClusterView => ({
  groups: new Set(groups),
  holders: new Map(Object.entries(holders)),
});
const assigned = (group: string): Holder => ({ group, pinned: false });
const pinned = (group: string): Holder => ({ group, pinned: true });
const request = (overrides: Partial<PlacementRequest> = {}): PlacementRequest => ({
  nodeId: 'me',
  requested: 'default',
  mode: 'place',
  capacity: 0,
  pool: { globs: ['a', 'b', 'c'] },
  ...overrides,
});

describe('decidePlacement', () => {
  it('pins a node to its requested group when it exists, counting toward its load', () => {
    const result = decidePlacement(view(['a', 'b', 'c']), request({ requested: 'b' }));
    expect(result.placement).toEqual({
      group: 'b',
      pinned: true,
      full: false,
      outcome: 'placed',
      released: null,
    });
    expect(result.holders.get('me')).toEqual(pinned('b'));
  });

  it('places a node on the least loaded pool group', () => {
    const holders = { x: assigned('a'), y: assigned('a'), z: assigned('c') };
    const { placement } = decidePlacement(view(['a', 'b', 'c'], holders), request());
    expect(placement).toMatchObject({ group: 'b', pinned: false, outcome: 'placed' });
  });

  it("breaks ties from the node's offset among the tied groups, in name order", () => {
    const seen = new Set<string>();
    for (const nodeId of ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8']) {
      const expected = ['a', 'b', 'c'][tieBreakOffset(nodeId, 3)];
      const { placement } = decidePlacement(view(['c', 'a', 'b']), request({ nodeId }));
      expect(placement.group).toBe(expected);
      seen.add(expected);
    }
    expect(seen.size).toBeGreaterThan(1); // nodes spread over tied groups
  });

  it('walks on from its offset past tied groups outside its pool', () => {
    // Every group at load 0; the pool holds only 'c': whatever the offset, the node gets 'c'.
    for (const nodeId of ['n1', 'n2', 'n3', 'n4']) {
      const { placement } = decidePlacement(
        view(['a', 'b', 'c', 'd']),
        request({ nodeId, pool: { globs: ['c'] } }),
      );
      expect(placement.group).toBe('c');
    }
  });

  it('orders tied groups by their UTF-8 bytes, as a Redis sorted set does', () => {
    expect(['中', 'b', 'B', 'é'].sort(byUtf8)).toEqual(['B', 'b', 'é', '中']);
  });

  it('leaves its shared groups out of its pool', () => {
    const result = decidePlacement(
      view(['a', 'b']),
      request({ pool: { globs: [], excluded: ['a'] } }),
    );
    expect(result.placement.group).toBe('b');
  });

  it('places only on groups of the pool that exist', () => {
    const result = decidePlacement(
      view(['a', 'zz'], { x: assigned('a') }),
      request({ pool: { globs: ['a', 'gone'] } }),
    );
    expect(result.placement.group).toBe('a');
  });

  it('keeps the place a node already holds (a restart within its lease)', () => {
    const holders = { me: assigned('a'), x: assigned('a'), y: assigned('a') };
    const { placement } = decidePlacement(view(['a', 'b', 'c'], holders), request());
    expect(placement).toMatchObject({ group: 'a', outcome: 'kept' });
  });

  it('moves a node whose group was deleted, and only that node', () => {
    const holders = { me: assigned('gone'), x: assigned('a'), y: assigned('b') };
    const result = decidePlacement(view(['a', 'b', 'c'], holders), request());
    expect(result.placement).toMatchObject({ group: 'c', outcome: 'placed', released: null });
    expect(result.holders.get('x')).toEqual(assigned('a'));
    expect(result.holders.get('y')).toEqual(assigned('b'));
  });

  it('never goes beyond the capacity, and says full when every group is', () => {
    const holders = { x: assigned('a'), y: assigned('b'), z: assigned('c') };
    const result = decidePlacement(view(['a', 'b', 'c'], holders), request({ capacity: 1 }));
    expect(result.placement).toEqual({
      group: null,
      pinned: false,
      full: true,
      outcome: 'none',
      released: null,
    });
    expect(result.holders.has('me')).toBe(false);
  });

  it('does not pin a node to its requested group when that group is full', () => {
    const holders = { x: pinned('a') };
    const result = decidePlacement(
      view(['a', 'b'], holders),
      request({ requested: 'a', capacity: 1, pool: { globs: ['a', 'b'] } }),
    );
    expect(result.placement).toMatchObject({ group: 'b', pinned: false });
    const full = decidePlacement(
      view(['a', 'b'], { x: pinned('a'), y: assigned('b') }),
      request({ requested: 'a', capacity: 1, pool: { globs: ['a', 'b'] } }),
    );
    expect(full.placement).toMatchObject({ group: null, full: true });
  });

  it('moves a node to its requested group when that group has room again', () => {
    const holders = { me: assigned('b'), x: assigned('b') };
    const result = decidePlacement(
      view(['a', 'b'], holders),
      request({ requested: 'a', capacity: 1, pool: { globs: ['a', 'b'] } }),
    );
    expect(result.placement).toMatchObject({
      group: 'a',
      pinned: true,
      outcome: 'placed',
      released: 'b',
    });
  });

  it('moves a node off its group when that group is over capacity (the capacity was lowered)', () => {
    const holders = { me: assigned('a'), x: assigned('a') };
    const result = decidePlacement(view(['a', 'b'], holders), request({ capacity: 1 }));
    expect(result.placement).toMatchObject({ group: 'b', outcome: 'placed', released: 'a' });
  });

  it('names the group it gave up when it is left with none', () => {
    // Its group left its pool, and the one pool group is full: no place, and 'a' is free again.
    const holders = { me: assigned('a'), x: assigned('b') };
    const result = decidePlacement(
      view(['a', 'b'], holders),
      request({ capacity: 1, pool: { globs: ['b'] } }),
    );
    expect(result.placement).toEqual({
      group: null,
      pinned: false,
      full: true,
      outcome: 'none',
      released: 'a',
    });
    expect(result.holders.has('me')).toBe(false);
  });

  it('holds none, not full, when no group exists at all', () => {
    const result = decidePlacement(view([], { me: assigned('gone') }), request());
    expect(result.placement).toMatchObject({ group: null, full: false, outcome: 'none' });
    expect(result.holders.size).toBe(0);
  });

  describe('rebalance mode', () => {
    it('moves a node of a group two above the least loaded one', () => {
      const holders = { me: assigned('a'), x: assigned('a'), y: assigned('b') };
      const result = decidePlacement(
        view(['a', 'b', 'c'], holders),
        request({ mode: 'rebalance' }),
      );
      expect(result.placement).toMatchObject({ group: 'c', outcome: 'moved', released: 'a' });
    });

    it('does not move a node when the spread is one', () => {
      const holders = { me: assigned('a'), x: assigned('a'), y: assigned('b') };
      const result = decidePlacement(
        view(['a', 'b'], holders),
        request({ mode: 'rebalance', pool: { globs: ['a', 'b'] } }),
      );
      expect(result.placement).toMatchObject({ group: 'a', outcome: 'kept' });
    });

    it('moves only nodes of the most loaded groups (no move that another must undo)', () => {
      // a: 3, b: 2, c: 0 -> one move (a to c) balances; b giving first would take two.
      const holders: Record<string, Holder> = { me: assigned('b'), b1: assigned('b') };
      ['a1', 'a2', 'a3'].forEach((id) => (holders[id] = assigned('a')));
      const fromB = decidePlacement(view(['a', 'b', 'c'], holders), request({ mode: 'rebalance' }));
      expect(fromB.placement.outcome).toBe('kept');
      const fromA = decidePlacement(
        view(['a', 'b', 'c'], holders),
        request({ nodeId: 'a1', mode: 'rebalance' }),
      );
      expect(fromA.placement).toMatchObject({ group: 'c', outcome: 'moved' });
    });

    it('never moves a pinned node, and looks past groups that hold only pinned nodes', () => {
      const holders: Record<string, Holder> = { me: pinned('a'), p2: pinned('a'), p3: pinned('a') };
      holders.b1 = assigned('b');
      holders.b2 = assigned('b');
      const stay = decidePlacement(
        view(['a', 'b', 'c'], holders),
        request({ mode: 'rebalance', requested: 'a' }),
      );
      expect(stay.placement).toMatchObject({ group: 'a', pinned: true, outcome: 'kept' });
      const move = decidePlacement(
        view(['a', 'b', 'c'], holders),
        request({ nodeId: 'b1', mode: 'rebalance' }),
      );
      expect(move.placement).toMatchObject({ group: 'c', outcome: 'moved' });
    });
  });
});
