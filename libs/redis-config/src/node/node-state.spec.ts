import { resolveOptions } from '../options/redis-config.options';
import { ConfigChangeEvent, frozenGroup } from './config-change';
import { NodeState } from './node-state';

describe('NodeState with shared groups', () => {
  function state() {
    const node = new NodeState(
      resolveOptions({ sharedGroups: ['common', 'region'], group: 'own' }, {}),
    );
    const events: ConfigChangeEvent[] = [];
    node.changes.subscribe((event) => events.push(event));
    return { node, write: node.writer(), events };
  }

  it('layers once per change and names the source of each event', () => {
    const { node, write, events } = state();
    write.applyShared('common', frozenGroup('common', 0, { a: 1, b: 1 }), 'loaded');
    write.apply(frozenGroup('own', 3, { b: 2 }), 'loaded', 'pinned');
    expect(node.effective).toEqual({ a: 1, b: 2 });
    expect(events.map((e) => [e.source, e.changedKeys])).toEqual([
      [{ name: 'common', version: 0, shared: true }, ['a', 'b']],
      [{ name: 'own', version: 3, shared: false }, ['b']],
    ]);
    expect(node.sources()).toEqual([
      { name: 'common', version: 0, shared: true },
      { name: 'region', version: null, shared: true },
      { name: 'own', version: 3, shared: false },
    ]);
    expect(node.shared).toEqual([
      { name: 'common', version: 0 },
      { name: 'region', version: null },
    ]);
  });

  it('emits a new shared version whose only key is shadowed, with no changed key', () => {
    const { node, write, events } = state();
    write.apply(frozenGroup('own', 0, { b: 2 }), 'loaded', 'pinned');
    write.applyShared('region', frozenGroup('region', 0, { b: 1 }), 'loaded');
    const before = node.effective;
    write.applyShared('region', frozenGroup('region', 1, { b: 9 }), 'updated');
    expect(node.effective).toEqual(before);
    expect(events.at(-1)).toMatchObject({ reason: 'updated', changedKeys: [] });
    expect(events.at(-1)?.current?.name).toBe('own');
    // The same version again (a replayed event): nothing at all.
    const count = events.length;
    write.applyShared('region', frozenGroup('region', 1, { b: 9 }), 'updated');
    expect(events).toHaveLength(count);
  });

  it('checks candidates without applying them, and ignores groups it does not follow', () => {
    const { node, write, events } = state();
    write.applyShared('common', frozenGroup('common', 0, { a: 1 }), 'loaded');
    expect(node.candidate({ own: frozenGroup('own', 0, { b: 1 }) })).toEqual({ a: 1, b: 1 });
    expect(node.candidate({ shared: 'common', group: null })).toEqual({});
    expect(node.effective).toEqual({ a: 1 });
    write.applyShared('stranger', frozenGroup('stranger', 0, { z: 1 }), 'loaded');
    expect(node.effective).toEqual({ a: 1 });
    expect(events).toHaveLength(1);
  });

  it('restores every source of a snapshot in one event', () => {
    const { node, write, events } = state();
    write.restore(frozenGroup('own', 2, { b: 2 }), [frozenGroup('region', 4, { r: 1 })]);
    expect(node.effective).toEqual({ r: 1, b: 2 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: 'snapshot', changedKeys: ['b', 'r'] });
    expect(node.holding).toBe('none');
  });
});

describe('NodeState writer', () => {
  it('is given once: the node state has one writer', () => {
    const node = new NodeState(resolveOptions({}, {}));
    node.writer();
    expect(() => node.writer()).toThrow(/one writer/);
  });
});
