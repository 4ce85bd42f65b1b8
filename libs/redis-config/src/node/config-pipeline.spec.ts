import { Logger } from '@nestjs/common';
import { resolveOptions } from '../options/redis-config.options';
import type { ConfigDict } from '../wire/config-group-record';
import { ConfigChangeEvent } from './config-change';
import { ApplyInput, ConfigPipeline, ProposedRecord } from './config-pipeline';
import { NodeState } from './node-state';
import { SnapshotKeeper } from './snapshot-keeper';

const record = (name: string, version: number, config: ConfigDict, digest?: string) =>
  ({ digest, read: () => ({ record: { name, version, config } }) }) as ProposedRecord;

/** A turn's work: version `version` of the own group, `{ a }`. */
const own = (version: number, a: number, digest?: string) => (apply: ApplyInput) =>
  apply({
    kind: 'own',
    group: 'own',
    record: record('own', version, { a }, digest),
    reason: 'updated',
    holding: 'pinned',
  });

describe('ConfigPipeline', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  function pipeline(validate?: (config: Readonly<ConfigDict>) => void) {
    const options = resolveOptions({ group: 'own', sharedGroups: ['common'], validate }, {});
    const state = new NodeState(options);
    const events: ConfigChangeEvent[] = [];
    state.changes.subscribe((event) => events.push(event));
    return {
      state,
      events,
      pipeline: new ConfigPipeline(options, state, new SnapshotKeeper(options, state)),
    };
  }

  it('runs turns one after another, in the order given, even when an earlier one waits', async () => {
    const { pipeline: p, state } = pipeline();
    const order: string[] = [];
    let release: (() => void) | undefined;
    const slow = p.run(async (apply) => {
      await new Promise<void>((resolve) => (release = resolve));
      order.push(`slow saw ${state.current?.version ?? 'none'}`);
      own(0, 0)(apply);
    });
    const fast = p.run((apply) => {
      order.push(`fast saw ${state.current?.version ?? 'none'}`);
      own(1, 1)(apply);
    });
    while (!release) await Promise.resolve();
    release();
    await Promise.all([slow, fast]);
    expect(order).toEqual(['slow saw none', 'fast saw 0']);
    expect(state.current?.version).toBe(1);
  });

  it('goes on after a failed turn, which rejects with its error', async () => {
    const { pipeline: p } = pipeline();
    const failed = p.run(() => Promise.reject(new Error('Redis away')));
    const next = p.run(() => 'ran');
    await expect(failed).rejects.toThrow('Redis away');
    await expect(next).resolves.toBe('ran');
  });

  it('validates the layered config, refuses with the error validate threw, and keeps the last good', async () => {
    const refusal = new Error('a must be positive');
    const {
      pipeline: p,
      state,
      events,
    } = pipeline((config) => {
      if ((config.a as number) < 0) throw refusal;
      if (config.b === 'bad') throw new Error('b is bad');
    });
    await p.run(own(0, 1, 'd0'));
    const refused = await p.run(own(1, -1, 'd1'));
    expect(refused?.refused).toEqual({ by: 'validate', error: refusal });
    expect(state.current).toMatchObject({ version: 0, config: { a: 1 } });
    expect(events.map((e) => e.reason)).toEqual(['updated', 'rejected']);
    // The same content is refused once: not again, and not announced again.
    expect((await p.run(own(1, -1, 'd1')))?.changed).toBe(false);
    expect(events).toHaveLength(2);
    // A shared group that makes the whole invalid is refused too, once the own group is decided.
    await p.run((apply) => apply({ kind: 'decided' }));
    const shared = await p.run((apply) =>
      apply({
        kind: 'shared',
        name: 'common',
        record: record('common', 0, { a: -5, b: 1 }, 's0'),
        reason: 'loaded',
      }),
    );
    // The own group's a wins: valid.
    expect(shared?.changed).toBe(true);
    expect(state.effective).toEqual({ a: 1, b: 1 });
    const bad = await p.run((apply) =>
      apply({
        kind: 'shared',
        name: 'common',
        record: record('common', 1, { b: 'bad' }, 's1'),
        reason: 'updated',
      }),
    );
    expect(bad?.refused?.error.message).toBe('b is bad');
    expect(events.at(-1)).toMatchObject({
      reason: 'rejected',
      source: { name: 'common', version: 1, shared: true },
    });
    expect(state.effective).toEqual({ a: 1, b: 1 });
  });

  it('refuses an input given after its turn ended, and runs no turn once stopped', async () => {
    const { pipeline: p } = pipeline();
    let late: ApplyInput | null = null;
    await p.run((apply) => {
      late = apply;
    });
    expect(() => late!({ kind: 'decided' })).toThrow(/after its turn ended/);
    await p.stop();
    expect(await p.run(() => 'ran')).toBeUndefined();
  });
});
