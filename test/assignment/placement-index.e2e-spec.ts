import Redis from 'ioredis';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { AssignmentScripts, NodeReport } from '@rcc/redis-config/assignment/assignment-scripts';
import type { PlacementRequest } from '@rcc/redis-config/assignment/placement';
import { withScripts } from '@rcc/redis-config/wire/redis-scripts';
import { withPublisherScripts } from '@rcc/redis-config/wire/publisher-scripts';
import { writeKeys } from '@rcc/redis-config/wire/write-keys';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';

/**
 * The placement index (`{ns}:group-loads`, `{ns}:movable-loads`) is a cache of the counts and of
 * the groups hash. Writes that bypass our scripts (the old project's console HSETs and HDELs the
 * hash; an operator deletes a key) must never make a node take a deleted group or exceed a
 * capacity: the script checks the index in O(1), checks every candidate, and rebuilds.
 */
describe('placement index against writes behind its back (real Redis)', () => {
  let redis: RedisServer;
  let client: Redis;
  let keys: ConfigKeys;
  let scripts: AssignmentScripts;

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = redis.client();
  });
  afterAll(async () => {
    client.disconnect();
    await redis.dispose();
  });
  beforeEach(async () => {
    keys = new ConfigKeys(uniqueNamespace('index'));
    scripts = new AssignmentScripts(withScripts(client), keys, 600_000);
    for (const group of ['a', 'b', 'c']) await addGroup(group);
  });

  const addGroup = (group: string) =>
    client.hset(keys.groups, group, JSON.stringify({ group_name: group, group_version: 0 }));
  const report = (id: string): NodeReport => ({
    id,
    address: '10.0.0.1',
    requestedGroup: 'none',
    group: null,
    version: null,
    holding: 'none',
  });
  const place = (id: string, overrides: Partial<PlacementRequest> = {}) =>
    scripts.assign(
      {
        nodeId: id,
        requested: 'none',
        mode: 'place',
        capacity: 0,
        pool: { globs: [] },
        ...overrides,
      },
      report(id),
    );
  const indexed = async () =>
    Object.fromEntries(
      chunk(await client.zrange(keys.groupLoads, 0, -1, 'WITHSCORES')).map(([g, s]) => [g, +s]),
    );

  it('keeps every group with its load, and a new group published by a plain HSET is taken', async () => {
    for (const id of ['n1', 'n2', 'n3', 'n4', 'n5', 'n6']) await place(id);
    expect(await indexed()).toEqual({ a: 2, b: 2, c: 2 });
    await addGroup('d'); // the old project's console: no script, no event
    expect((await place('n7')).group).toBe('d');
    expect(await indexed()).toEqual({ a: 2, b: 2, c: 2, d: 1 });
  });

  it('never places a node on a group deleted by a plain HDEL, even when another took its count', async () => {
    for (const id of ['n1', 'n2']) await place(id);
    const { a, b, c } = await indexed();
    const empty = Object.entries({ a, b, c }).find(([, load]) => load === 0)?.[0] as string;
    // Same number of groups: only the candidate check can tell.
    await client.hdel(keys.groups, empty);
    await addGroup('z');
    const placement = await place('n3');
    expect(placement.group).toBe('z');
    expect(Object.keys(await indexed()).sort()).toEqual(
      ['a', 'b', 'c', 'z'].filter((g) => g !== empty).sort(),
    );
  });

  it('rebuilds counts and index when the counts key is deleted, and keeps the capacity', async () => {
    for (const id of ['n1', 'n2', 'n3']) await place(id, { capacity: 1 });
    await client.del(keys.holderCounts);
    const placement = await place('n4', { capacity: 1 });
    expect(placement).toMatchObject({ group: null, full: true, outcome: 'none' });
    expect(await indexed()).toEqual({ a: 1, b: 1, c: 1 });
    expect(await client.hgetall(keys.holderCounts)).toEqual({ 'a:a': '1', 'a:b': '1', 'a:c': '1' });
  });

  it('rebuilds when an index entry was changed by hand', async () => {
    for (const id of ['n1', 'n2', 'n3']) await place(id, { capacity: 1 });
    // A forged load of 0 on a full group must not let a fourth node in.
    await client.zadd(keys.groupLoads, 0, 'b');
    const placement = await place('n4', { capacity: 1 });
    expect(placement).toMatchObject({ group: null, full: true });
    expect(await indexed()).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('drops the entries of a group deleted by the delete script, and adds one it creates', async () => {
    await place('n1');
    const scripted = withPublisherScripts(client);
    await scripted.rccDelete(
      ...writeKeys(keys),
      keys.history('a'),
      keys.rollout('a'),
      keys.runningRollouts,
      'a',
      keys.groupChannels,
    );
    const afterDelete = await indexed();
    expect(Object.keys(afterDelete).sort()).toEqual(['b', 'c']);
    const before = '{"group_name":"e","group_version":';
    await scripted.rccPublish(
      ...[...writeKeys(keys), keys.history('e'), 'e', before, ',"config_dict":{}}'],
      ...['-1', 10, keys.groupChannels, keys.control, 'published', '"e"', 0],
    );
    expect(await indexed()).toEqual({ ...afterDelete, e: 0 });
    // Every key it keeps carries the namespace's hash tag (one cluster slot).
    for (const key of [keys.groupLoads, keys.movableLoads, keys.placementIndex])
      expect(key.startsWith(`{${keys.namespace}}:`)).toBe(true);
  });
});

function chunk(flat: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
  return pairs;
}
