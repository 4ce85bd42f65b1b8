import { createConfigGroupStore, RolloutMove, StandaloneStore } from '@rcc/redis-config/publisher';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';

/**
 * `RolloutEngine` on its own (no admin, no node): its small API drives every move, and what the
 * current state does not allow is refused with a reason, leaving the state as it was.
 */
describe('RolloutEngine (the rollout state machine of /publisher)', () => {
  let redis: RedisServer;
  let opened: StandaloneStore;
  const moves: RolloutMove[] = [];
  const start = (group: string, steps: { percent: number; bakeMs: number }[]) =>
    opened.rollouts.start(group, { config: { a: 2 }, steps, author: 'alice', verifyMs: 200 });

  beforeAll(async () => {
    redis = await RedisServer.start();
    opened = await createConfigGroupStore({
      redis: { url: redis.url },
      namespace: uniqueNamespace('engine'),
    });
    opened.rollouts.onMove((move) => void moves.push(move));
  });

  afterAll(async () => {
    await opened?.close();
    await redis?.dispose();
  });

  beforeEach(() => void (moves.length = 0));

  it('starts a canary, refuses a second start, promotes by request and writes the candidate', async () => {
    await opened.store.publish('g', { a: 1 });
    const started = await start('g', [{ percent: 50, bakeMs: 600_000 }]);
    expect(started.state).toMatchObject({ status: 'canary', step: 1, baseVersion: 0, version: 1 });
    await expect(start('g', [])).rejects.toMatchObject({ name: 'RolloutRunningError' });
    const promoted = await opened.rollouts.promote('g', 'bob');
    expect(promoted.state).toMatchObject({ status: 'promoted', published: true });
    expect(promoted.state.outcome).toBe('promoted by bob');
    expect(await opened.store.get('g')).toMatchObject({ version: 1, config: { a: 2 } });
    expect(moves.map(({ type, driven }) => [type, driven])).toEqual([
      ['started', false],
      ['step', false],
      ['promoted', false],
    ]);
    expect(moves[2].writtenVersion).toBe(1);
  });

  it('refuses what the state does not allow, naming why, and changes nothing', async () => {
    await opened.store.publish('h', { a: 1 });
    await expect(opened.rollouts.abort('h', 'bob')).rejects.toMatchObject({
      name: 'RolloutStateError',
      reason: 'none',
    });
    await expect(opened.rollouts.promote('nope', 'bob')).rejects.toMatchObject({
      name: 'ConfigGroupNotFoundError',
    });
    await start('h', [{ percent: 50, bakeMs: 600_000 }]);
    const aborted = await opened.rollouts.abort('h', 'bob');
    // Canaries ran the candidate: the stable content is written again, version 1 burned.
    expect(aborted.state).toMatchObject({ status: 'aborted', revertedVersion: 2 });
    expect(await opened.store.get('h')).toMatchObject({ version: 2, config: { a: 1 } });
    for (const move of [
      () => opened.rollouts.abort('h', 'bob'),
      () => opened.rollouts.promote('h', 'bob'),
    ])
      await expect(move()).rejects.toMatchObject({
        name: 'RolloutStateError',
        reason: 'not-running',
      });
    expect((await opened.rollouts.read('h'))?.state.status).toBe('aborted');
    expect(moves.map(({ type }) => type)).toEqual(['started', 'step', 'aborted']);
  });

  it('drive() promotes after the last bake, as a driven move', async () => {
    await opened.store.publish('k', { a: 1 });
    await start('k', [{ percent: 100, bakeMs: 0 }]);
    expect(await opened.rollouts.running()).toEqual(['k']);
    const failures = await opened.rollouts.driveAll('test-driver', {
      leaseMs: 5000,
      verifyMs: 200,
    });
    expect(failures).toEqual([]);
    expect((await opened.rollouts.read('k'))?.state).toMatchObject({
      status: 'promoted',
      published: true,
    });
    expect(await opened.rollouts.running()).toEqual([]);
    expect(moves.at(-1)).toMatchObject({ type: 'promoted', driven: true, writtenVersion: 1 });
    // Another holder of the lease drives nothing while this one holds it.
    await opened.store.publish('m', { a: 1 });
    await start('m', [{ percent: 100, bakeMs: 0 }]);
    await opened.rollouts.driveAll('other-driver', { leaseMs: 5000, verifyMs: 200 });
    expect((await opened.rollouts.read('m'))?.state.status).toBe('canary');
    await opened.rollouts.releaseDriverLease('test-driver');
    await opened.rollouts.driveAll('other-driver', { leaseMs: 5000, verifyMs: 200 });
    expect((await opened.rollouts.read('m'))?.state.status).toBe('promoted');
  });
});
