import fc from 'fast-check';
import Redis from 'ioredis';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { AssignmentScripts } from '@rcc/redis-config/assignment/assignment-scripts';
import { decodeHolder, encodeHolder, Holder } from '@rcc/redis-config/assignment/holder-entry';
import type { PlacementRequest } from '@rcc/redis-config/assignment/placement';
import { decidePlacement } from '../../libs/redis-config/test/placement-oracle/decide-placement';
import { groupLoads } from '../../libs/redis-config/test/placement-oracle/group-loads';
import { byUtf8 } from '../../libs/redis-config/test/placement-oracle/tie-break';
import { withScripts } from '@rcc/redis-config/wire/redis-scripts';
import { globsMatcher } from '@rcc/redis-config/utils/glob';
import { POOL_MATCH_LUA } from '@rcc/redis-config/wire/lua/pool-match.lua';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';

/**
 * The Lua script decides in Redis what `decidePlacement` decides in TypeScript: random clusters
 * (groups, pinned and pool-placed holders, capacities, pools, modes) are given to both.
 */
describe('assignment script = pure placement rule (real Redis, fast-check)', () => {
  let redis: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = redis.client();
  });
  afterAll(async () => {
    client.disconnect();
    await redis.dispose();
  });

  const GROUPS = ['a', 'b', 'c', 'd', 'e', 'apikey-1', 'apikey-2', '中文 組'];
  const NODES = Array.from({ length: 14 }, (_, i) => `node-${i}`);

  const scenario = fc.record({
    groups: fc.subarray(GROUPS, { minLength: 1 }),
    holders: fc.dictionary(
      fc.constantFrom(...NODES),
      fc.record({ group: fc.constantFrom(...GROUPS, 'gone'), pinned: fc.boolean() }),
    ),
    nodeId: fc.constantFrom(...NODES),
    requested: fc.constantFrom(...GROUPS, 'default'),
    mode: fc.constantFrom('place' as const, 'rebalance' as const),
    capacity: fc.integer({ min: 0, max: 4 }),
    /** null: every group; else globs (exact names or patterns), and excluded (shared) groups. */
    pool: fc.oneof(
      fc.constant(null),
      fc.subarray([...GROUPS, 'gone']),
      fc.subarray(['apikey-*', '?', '*組', 'a*', '*-?', '中*'], { minLength: 1 }),
    ),
    excluded: fc.subarray(GROUPS, { maxLength: 2 }),
    /** Most often the node already holds a movable place: the case rebalancing is about. */
    own: fc.oneof(fc.constant(null), fc.nat()),
    /** Whether the holder counts are stored too, or left for the script to rebuild. */
    counted: fc.boolean(),
  });

  /** Rare at random: the fullest group holds only pinned nodes, so the next one gives a node. */
  const pinnedOnlyFullest = {
    groups: ['a', 'b', 'c'],
    holders: {
      'node-1': { group: 'a', pinned: true },
      'node-2': { group: 'a', pinned: true },
      'node-3': { group: 'a', pinned: true },
      'node-4': { group: 'b', pinned: false },
    },
    nodeId: 'node-0',
    requested: 'default',
    mode: 'rebalance' as const,
    capacity: 0,
    pool: null,
    own: 1,
    counted: true,
    excluded: [],
  };

  it('gives the same decision and leaves the same places', async () => {
    const keys = new ConfigKeys(uniqueNamespace('equivalence'));
    const scripts = new AssignmentScripts(withScripts(client), keys, 60_000);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        const pool = { globs: input.pool ?? [], excluded: input.excluded };
        const holders = new Map(Object.entries(input.holders));
        if (input.own !== null && input.groups.length > 0) {
          const group = input.groups[input.own % input.groups.length];
          holders.set(input.nodeId, { group, pinned: false });
        }
        const countsKey = keys.holderCounts;
        await client.del(
          keys.groups,
          keys.nodes,
          keys.nodeInfo,
          keys.holders,
          countsKey,
          keys.groupLoads,
          keys.movableLoads,
          keys.placementIndex,
        );
        // Each group's record names it: the script returns the record of the group it decided.
        const recordOf = (group: string) => JSON.stringify({ group_name: group });
        for (const group of input.groups) await client.hset(keys.groups, group, recordOf(group));
        const expiry = Date.now() + 600_000;
        for (const [id, holder] of holders) {
          await client.hset(keys.holders, id, encodeHolder(holder));
          await client.zadd(keys.nodes, expiry, id);
          if (input.counted) await client.hincrby(countsKey, encodeHolder(holder), 1);
        }
        const request: PlacementRequest = {
          nodeId: input.nodeId,
          requested: input.requested,
          mode: input.mode,
          capacity: input.capacity,
          pool,
        };
        const expected = decidePlacement({ groups: new Set(input.groups), holders }, request);
        const actual = await scripts.assign(request, {
          id: input.nodeId,
          address: '10.1.2.3',
          requestedGroup: input.requested,
          group: null,
          version: null,
          holding: 'none',
        });
        const { released: _released, ...placement } = expected.placement;
        const { record, groupCount, requestedExists, ...decision } = actual;
        expect(groupCount).toBe(input.groups.length);
        expect(requestedExists).toBe(input.groups.includes(input.requested));
        expect(decision).toEqual(placement);
        expect(record).toBe(placement.group === null ? null : recordOf(placement.group));
        const stored = new Map<string, Holder>();
        for (const [id, entry] of Object.entries(await client.hgetall(keys.holders))) {
          const holder = decodeHolder(entry);
          if (holder) stored.set(id, holder);
        }
        expect(stored).toEqual(expected.holders);
        // The counts the script keeps match its places exactly.
        const recount: Record<string, string> = {};
        for (const holder of stored.values()) {
          const field = encodeHolder(holder);
          recount[field] = String(Number(recount[field] ?? 0) + 1);
        }
        expect(await client.hgetall(countsKey)).toEqual(recount);
        // And the placement index: every existing group with its load; the movable ones apart.
        const loads = groupLoads(stored.values());
        const indexed = await client.zrange(keys.groupLoads, 0, -1, 'WITHSCORES');
        const expectedIndex = [...input.groups]
          .map((group) => [group, loads.load(group)] as const)
          .sort(([a, x], [b, y]) => x - y || byUtf8(a, b))
          .flatMap(([group, load]) => [group, String(load)]);
        expect(indexed).toEqual(expectedIndex);
        const movable = await client.zrange(keys.movableLoads, 0, -1);
        expect(movable.sort()).toEqual(input.groups.filter((g) => loads.hasMovable(g)).sort());
        runs++;
      }),
      { numRuns: 500, examples: [[pinnedOnlyFullest]] },
    );
    expect(runs).toBe(500);
  });

  it('matches pool globs in Lua as in TypeScript (code points, literal * and ? in names)', async () => {
    const letter = fc.constantFrom('a', 'b', '*', '?', '中', '😀', '-');
    const text = (max: number) => fc.array(letter, { maxLength: max }).map((l) => l.join(''));
    const script = `${POOL_MATCH_LUA}
local in_pool = read_pool(1)
local out = {}
for i = 1, #KEYS do out[i] = in_pool(KEYS[i]) and 1 or 0 end
return out`;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(text(5), { minLength: 1, maxLength: 3 }),
        fc.array(text(6), { minLength: 1, maxLength: 8 }),
        async (globs, names) => {
          const matches = globsMatcher(globs);
          const actual = (await client.eval(
            script,
            names.length,
            ...names,
            globs.length,
            ...globs,
            0,
          )) as number[];
          expect(actual).toEqual(names.map((name) => (matches(name) ? 1 : 0)));
          runs++;
        },
      ),
      { numRuns: 300 },
    );
    expect(runs).toBe(300);
  });
});
