import { INestApplicationContext } from '@nestjs/common';
import { ConfigChangeEvent, ConfigGroupService, ConfigSource } from '@rcc/redis-config';
import { RolloutState } from '@rcc/redis-config/publisher';
// The raw transitions under RolloutEngine: what the Lua checks refuse, whoever calls them.
import { RolloutStore } from '@rcc/redis-config/store/rollout-store';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisMonitor } from '../helpers/redis-monitor';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { rolloutStateOf } from '../helpers/rollout-state';
import { waitFor } from '../helpers/wait-for';

/** Each change as a listener saw it: the event, and the effective config and sources then. */
interface Seen {
  event: ConfigChangeEvent;
  effective: Readonly<Record<string, unknown>>;
  sources: ConfigSource[];
}

const PADDING = 'x'.repeat(1_000_000);

function record(config: ConfigGroupService): Seen[] {
  const seen: Seen[] = [];
  config.onChange((event) =>
    seen.push({ event, effective: config.getEffectiveConfig(), sources: config.getSources() }),
  );
  return seen;
}

/**
 * Orderings that three queues once had to patch (`state.current !== held`): the node's inputs now
 * go through one queue, so what a source read is still true when it applies.
 */
describe('one state pipeline: racing inputs (real Redis)', () => {
  let redis: RedisServer;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await redis.dispose();
  });

  it('a rollout candidate racing a publish never replaces the newer version', async () => {
    const namespace = uniqueNamespace('race-canary');
    const base = { redis: { url: redis.url }, namespace, refreshMs: 60_000 };
    const publisher = await startPublisher(base);
    apps.push(publisher.app);
    const rollouts = publisher.app.get(RolloutStore);
    await publisher.store.publish('g', { a: 'published-start' });
    const node = await startNode({ ...base, group: 'g', nodeId: 'canary-1' });
    apps.push(node.app);
    const seen = record(node.config);
    const reads: (() => void)[] = [];
    /** Resolves when Redis runs the node's read of a rollout's candidate. */
    const candidateRead = () => new Promise<void>((resolve) => reads.push(resolve));
    const monitor = await RedisMonitor.start(redis.port, ({ args }) => {
      const [command, key, field] = args;
      if (command.toLowerCase() === 'hget' && key.endsWith(':rollout:g') && field === 'candidate')
        reads.shift()?.();
    });

    const rounds = 10;
    for (let i = 0; i < rounds; i++) {
      const baseVersion = node.config.getConfigGroup()!.version;
      const verifying: RolloutState = {
        ...rolloutStateOf(`r${i}`),
        baseVersion,
        // A number of its own: the race is about order, not about a publish reusing it.
        version: 1000 + i,
        steps: [{ percent: 100, bakeMs: 60_000 }],
      };
      // Large: the node's read of the candidate takes long enough for the publish to arrive meanwhile.
      await rollouts.begin(verifying, { a: `candidate-${i}`, padding: PADDING });
      const canary: RolloutState = { ...verifying, status: 'canary', step: 1 };
      const choose = () => rollouts.advance(verifying, canary, { canaryNodes: ['canary-1'] });
      const publish = () => publisher.store.publish('g', { a: `published-${i}` });
      let moved: string;
      if (i % 2 === 0) {
        // The publish sent as the node reads the candidate it was chosen for: it arrives meanwhile.
        const reading = candidateRead();
        moved = await choose();
        await reading;
        await publish();
      } else {
        // The publish first, the choice right behind it (one connection: in this order).
        [, moved] = await Promise.all([publish(), choose()]);
      }
      expect(moved).toBe('moved');
      await waitFor(`round ${i}: the node on the published version`, () => {
        const group = node.config.getConfigGroup();
        return group?.version === baseVersion + 1 && group.config.a === `published-${i}`;
      });
      const aborted = await rollouts.revert(['canary'], { ...canary, status: 'aborted' }, null);
      expect(aborted.ended).toBe(true);
    }
    // Heard after every abort (one subscriber, one queue): a revert would have come before it.
    await publisher.store.publish('g', { a: 'published-end' });
    await waitFor('the last version', () => node.config.get('a') === 'published-end');
    await monitor.stop();

    const own = seen.map((s) => s.event).filter((e) => e.source?.shared === false);
    // The rounds whose publish came during the candidate's read ran the candidate first, then it.
    expect(own.filter((e) => e.reason === 'canary').length).toBeGreaterThanOrEqual(rounds / 2);
    for (const event of own.filter((e) => e.reason === 'canary')) {
      const round = String(event.current?.config.a).replace('candidate-', '');
      // Run from the version its rollout was made from, never over the publish of its round.
      expect(event.previous?.config.a).not.toBe(`published-${round}`);
    }
    // The candidate never came back after the publish, and no abort undid a publish.
    expect(own.filter((e) => e.reason === 'rollback')).toEqual([]);
    const published = own
      .filter((e) => e.reason === 'updated')
      .map((e) => e.current?.config.a as string);
    expect(published).toEqual([
      ...Array.from({ length: rounds }, (_, i) => `published-${i}`),
      'published-end',
    ]);
    expect(node.config.canary).toBe(false);
  });

  it('a reassignment racing a shared-group change layers both, and validates whole configs', async () => {
    const namespace = uniqueNamespace('race-shared');
    const base = { redis: { url: redis.url }, namespace, refreshMs: 60_000 };
    const publisher = await startPublisher(base);
    apps.push(publisher.app);
    const { store } = publisher;
    await store.publish('common', { shared_version: 0, own: 'none' });
    await store.publish('g1', { own: 'g1' });
    await store.publish('g2', { own: 'g2' });
    const validated: Readonly<Record<string, unknown>>[] = [];
    const node = await startNode({
      ...base,
      nodeId: 'n1',
      group: 'absent', // assigned from the pool: g1 or g2
      sharedGroups: ['common'],
      // A shared change checked without the own group would see own: 'none'.
      validate: (config) => {
        validated.push(config);
        if (config.own === 'none') throw new Error('validated without the own group');
      },
    });
    apps.push(node.app);
    const seen = record(node.config);

    const rounds = 6;
    for (let i = 1; i <= rounds; i++) {
      const held = node.config.getConfigGroup()!.name;
      const other = held === 'g1' ? 'g2' : 'g1';
      // Its group deleted (the node moves to the other one) and a shared change, at once.
      await Promise.all([
        store.delete(held),
        store.publish('common', { shared_version: i, own: 'none' }),
      ]);
      await waitFor(`round ${i}: the node on ${other} with common v${i}`, () => {
        const sources = node.config.getSources();
        return (
          node.config.getConfigGroup()?.name === other &&
          sources.find((s) => s.name === 'common')?.version === i
        );
      });
      expect(node.config.getEffectiveConfig()).toEqual({ shared_version: i, own: other });
      await store.publish(held, { own: held });
    }

    const events = seen.map((s) => s.event);
    expect(events.filter((e) => e.reason === 'rejected')).toEqual([]);
    expect(validated.filter((config) => config.own === 'none')).toEqual([]);
    // Every listener saw an effective config made of exactly the sources it was told of.
    for (const { event, effective, sources } of seen) {
      const common = sources.find((s) => s.name === 'common')?.version;
      expect(effective.shared_version).toBe(common);
      expect(effective.own).toBe(event.current?.name);
    }
    // Each shared version arrived once, in order, wherever it fell among the moves.
    const shared = events.filter((e) => e.source?.shared).map((e) => e.source?.version);
    expect(shared).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
    expect(events.filter((e) => e.reason === 'deleted')).toHaveLength(rounds);
  });
});
