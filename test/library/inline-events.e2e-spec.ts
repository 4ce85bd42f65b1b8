import { INestApplicationContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { ConfigChangeEvent, ConfigGroupService, RedisConfigModuleOptions } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { RedisConfigConnection } from '@rcc/redis-config/connection/redis-config-connection';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisMonitor } from '../helpers/redis-monitor';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

interface Node {
  config: ConfigGroupService;
  /** `ip:port` of the node's command connection, as Redis's MONITOR names it. */
  address: string;
  changes: ConfigChangeEvent[];
}

/**
 * Small groups ride inside their change event (`RCC_EVENT_INLINE_BYTES`): nodes apply them
 * without reading them back. Every command the nodes send is watched with MONITOR.
 */
describe('change events carrying small groups (real Redis, MONITOR on the nodes)', () => {
  let redis: RedisServer;
  let raw: Redis;
  const apps: INestApplicationContext[] = [];
  const closers: (() => unknown)[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    raw = redis.client();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    for (const close of closers.splice(0)) await close();
  });
  afterAll(async () => {
    raw.disconnect();
    await redis.dispose();
  });

  async function setup(
    publisherOptions: RedisConfigModuleOptions = {},
    nodeOptions: RedisConfigModuleOptions = {},
  ) {
    const namespace = uniqueNamespace('inline');
    const common = { redis: { url: redis.url }, namespace, refreshMs: 60_000 };
    const publisher = await startPublisher({ ...common, ...publisherOptions });
    apps.push(publisher.app);
    const store: ConfigGroupStore = publisher.store;
    await store.publish('payments', { apikey: 'k0', timeout_ms: 3000 });
    const nodes: Node[] = [];
    for (const nodeId of ['node-a', 'node-b']) {
      const { app, config } = await startNode({
        ...common,
        ...nodeOptions,
        nodeId,
        group: 'payments',
      });
      apps.push(app);
      const info = (await app.get(RedisConfigConnection).client.call('CLIENT', 'INFO')) as string;
      const node: Node = { config, address: /\baddr=(\S+)/.exec(info)?.[1] ?? '', changes: [] };
      config.changes$.subscribe((event) => node.changes.push(event));
      nodes.push(node);
    }
    // The group's own channel, sharded pub/sub on this Redis 7.
    const events = new ConfigKeys(namespace).groupEvents('payments');
    return { store, nodes, namespace, events };
  }

  /** Every message of the group's events channel, as sent. */
  async function channel(events: string): Promise<string[]> {
    const subscriber = redis.client();
    closers.push(() => subscriber.disconnect());
    const messages: string[] = [];
    subscriber.on('smessage', (_channel: string, message: string) => messages.push(message));
    await subscriber.ssubscribe(events);
    return messages;
  }

  /** Watches the commands the nodes send (lower-case names, per node) until `stop()`. */
  async function watchCommands(nodes: Node[]) {
    const seen = new Map<string, string[]>(nodes.map((node) => [node.address, []]));
    const marker = `end-${Math.random()}`;
    let ended = false;
    const monitor = await RedisMonitor.start(redis.port, ({ args, source }) => {
      seen.get(source)?.push(String(args[0]).toLowerCase());
      if (args[1] === marker) ended = true;
    });
    closers.push(() => monitor.stop());
    const count = (command: string) =>
      nodes.map((node) => (seen.get(node.address) ?? []).filter((c) => c === command).length);
    return {
      count,
      /** The count per node of `command` once everything sent so far has been seen. */
      async stop(command: string): Promise<number[]> {
        // MONITOR reports commands in the order Redis runs them: once the marker is seen, every
        // command the nodes sent before it has been seen too.
        await raw.echo(marker);
        await waitFor('the MONITOR marker', () => ended, 3000);
        await monitor.stop();
        return count(command);
      },
    };
  }

  /** A message without its publish time (Redis `TIME`, different in every run). */
  const timeless = (message: string) => message.replace(/,"publishedAtMs":\d+/, '');

  const atVersion = (nodes: Node[], version: number) =>
    waitFor(`every node at version ${version}`, () =>
      nodes.every((node) => node.config.getConfigGroup()?.version === version),
    );

  it('applies a small published group on 2 nodes without one HGET from them', async () => {
    const snapshots = mkdtempSync(join(tmpdir(), 'rcc-inline-'));
    closers.push(() => rmSync(snapshots, { recursive: true, force: true }));
    const snapshotPath = join(snapshots, 'node.json');
    const { store, nodes, namespace, events } = await setup({}, { snapshotPath });
    const messages = await channel(events);
    const watch = await watchCommands(nodes);
    await store.publish('payments', { apikey: 'k1', timeout_ms: 3000, region: 'sg' });
    await atVersion(nodes, 1);
    expect(await watch.stop('hget')).toEqual([0, 0]);
    for (const node of nodes) {
      expect(node.config.getConfigGroup()).toEqual({
        name: 'payments',
        version: 1,
        config: { apikey: 'k1', timeout_ms: 3000, region: 'sg' },
      });
      expect(node.changes.at(-1)).toMatchObject({
        reason: 'updated',
        changedKeys: ['apikey', 'region'],
      });
    }
    // The message is the stored record itself, with the digest Redis computes of it.
    const stored = (await raw.hget(namespace, 'payments')) as string;
    await waitFor('the event on the test subscriber', () => messages.length === 1, 3000);
    expect(messages[0]).toMatch(/,"publishedAtMs":\d{13},/);
    expect(timeless(messages[0])).toBe(
      `{"v":2,"type":"published","group":"payments","version":1,"digest":"${sha1(stored)}","record":${stored}}`,
    );
    // The same apply path as a read-back group: the snapshot is written.
    await waitFor('the snapshot of version 1', () =>
      readFileSync(snapshotPath, 'utf8').includes('"group_version":1'),
    );
  });

  it('reads back a group over the limit (64 bytes): its event carries no record', async () => {
    const { store, nodes, events } = await setup({ eventInlineMaxBytes: 64 });
    const messages = await channel(events);
    const watch = await watchCommands(nodes);
    await store.publish('payments', { apikey: 'k1', timeout_ms: 3000 });
    await atVersion(nodes, 1);
    expect(await watch.stop('hget')).toEqual([1, 1]);
    expect(nodes.map((node) => node.config.get('apikey'))).toEqual(['k1', 'k1']);
    await waitFor('the event on the test subscriber', () => messages.length === 1, 3000);
    expect(timeless(messages[0])).toBe('{"v":2,"type":"published","group":"payments","version":1}');
  });

  it('carries the record in rollback and import events too', async () => {
    const { store, nodes, namespace, events } = await setup();
    await store.publish('payments', { apikey: 'k1' });
    await atVersion(nodes, 1);
    const messages = await channel(events);
    const watch = await watchCommands(nodes);
    await store.rollback('payments', 0);
    await atVersion(nodes, 2);
    await store.import([
      { group_name: 'payments', group_version: 0, config_dict: { apikey: 'i' } },
    ]);
    await atVersion(nodes, 3);
    expect(await watch.stop('hget')).toEqual([0, 0]);
    expect(nodes[0].changes.slice(-2).map((event) => event.reason)).toEqual([
      'rollback',
      'updated',
    ]);
    expect(nodes[1].config.get('apikey')).toBe('i');
    const history = await raw.lrange(`{${namespace}}:history:payments`, 0, 1);
    await waitFor('both events on the test subscriber', () => messages.length === 2, 3000);
    expect(messages.map(timeless)).toEqual([
      `{"v":2,"type":"rollback","group":"payments","version":2,"digest":"${sha1(history[1])}","record":${history[1]}}`,
      `{"v":2,"type":"published","group":"payments","version":3,"digest":"${sha1(history[0])}","record":${history[0]}}`,
    ]);
  });

  /** A record as our store writes it, and an event carrying it. */
  const record = (version: number, config: unknown, name = 'payments') =>
    JSON.stringify({ group_name: name, group_version: version, config_dict: config });
  const carrying = (version: number, text: string, digest = sha1(text), type = 'published') =>
    `{"type":"${type}","group":"payments","version":${version},"digest":"${digest}","record":${text}}`;

  it('never moves a node to the content of a stale or mismatched event: the stored truth stays', async () => {
    const { store, nodes, events } = await setup();
    await store.publish('payments', { apikey: 'k1' });
    await store.publish('payments', { apikey: 'k2' });
    await atVersion(nodes, 2);
    const forged = [
      carrying(2, record(2, { apikey: 'forged-same-version' })), // version held: ignored
      carrying(1, record(1, { apikey: 'forged-stale' })), // older: read back
      carrying(0, record(0, { apikey: 'forged-stale' }), undefined, 'rollback'),
      carrying(5, record(5, { apikey: 'forged-digest' }), sha1('another record')),
      carrying(5, record(6, { apikey: 'forged-version' })), // names another version
      carrying(5, record(5, { apikey: 'forged-name' }, 'other')), // names another group
      // Members moved: the text after "record" is not the record the digest names.
      `{"type":"published","group":"payments","record":${record(5, { apikey: 'forged-order' })},"version":5,"digest":"${sha1(record(5, { apikey: 'forged-order' }))}"}`,
    ];
    const from = nodes.map((node) => node.changes.length);
    const watch = await watchCommands(nodes);
    for (const message of forged) await raw.spublish(events, message);
    // Each forged event but the one at the held version is read back, as before records were
    // carried: 6 HGETs, all run before the real publish below (so they read version 2).
    await waitFor('6 read-backs per node', () => watch.count('hget').every((n) => n === 6));
    await store.publish('payments', { apikey: 'k3' });
    await atVersion(nodes, 3);
    // The real publish was not read back: its record rode in the event.
    expect(await watch.stop('hget')).toEqual([6, 6]);
    for (const [index, node] of nodes.entries()) {
      expect(node.changes.slice(from[index]).map((e) => [e.reason, e.current])).toEqual([
        ['updated', { name: 'payments', version: 3, config: { apikey: 'k3' } }],
      ]);
    }
  });

  it('survives forged records of a bad shape, and keeps its last good group', async () => {
    const { store, nodes, events } = await setup();
    const badConfig = record(5, 'apikey=forged');
    for (const message of [
      carrying(5, badConfig), // intact and matching its event, but not a group: refused
      carrying(6, '"forged"'),
      carrying(6, '[1,2]'),
      carrying(6, 'null'),
      `{"type":"published","group":"payments","version":6,"digest":"${sha1('{')}","record":{`,
      'not JSON at all',
    ]) {
      await raw.spublish(events, message);
    }
    for (const node of nodes) {
      await waitFor('the refusal', () => node.changes.find((e) => e.reason === 'rejected'));
      expect(node.changes.find((e) => e.reason === 'rejected')).toMatchObject({
        current: { name: 'payments', version: 0, config: { apikey: 'k0', timeout_ms: 3000 } },
        rejected: {
          name: 'payments',
          version: -1, // as for any stored JSON that is not a group: its version is unknown
          error: 'stored JSON "config_dict" is neither an object nor null',
        },
      });
    }
    await store.publish('payments', { apikey: 'k1' });
    await atVersion(nodes, 1);
    expect(nodes.map((node) => node.config.get('apikey'))).toEqual(['k1', 'k1']);
  });

  it("refuses a carried record that fails the node's validate, as it would a read-back one", async () => {
    const validate = (config: Readonly<Record<string, unknown>>) => {
      if (typeof config.apikey !== 'string') throw new Error('apikey must be a string');
    };
    const { store, nodes } = await setup({}, { validate });
    const watch = await watchCommands(nodes);
    await store.publish('payments', { apikey: 42 });
    await waitFor('the refusals', () =>
      nodes.every((node) => node.changes.some((e) => e.reason === 'rejected')),
    );
    expect(await watch.stop('hget')).toEqual([0, 0]);
    for (const node of nodes) {
      expect(node.config.getConfigGroup()?.version).toBe(0);
      expect(node.changes.find((e) => e.reason === 'rejected')?.rejected).toEqual({
        name: 'payments',
        version: 1,
        error: 'apikey must be a string',
      });
    }
  });

  it('reads back a group deleted and created again at version 0', async () => {
    const { store, nodes } = await setup();
    await store.publish('payments', { apikey: 'k1' });
    await atVersion(nodes, 1);
    await store.delete('payments');
    await store.publish('payments', { apikey: 'again' });
    await atVersion(nodes, 0);
    expect(nodes.map((node) => node.config.get('apikey'))).toEqual(['again', 'again']);
  });

  it('takes no record from an event on a node with RCC_EVENT_INLINE_BYTES=0: it reads back', async () => {
    const { store, nodes, events } = await setup({}, { eventInlineMaxBytes: 0 });
    let watch = await watchCommands(nodes);
    await store.publish('payments', { apikey: 'k1', timeout_ms: 3000 });
    await atVersion(nodes, 1);
    expect(await watch.stop('hget')).toEqual([1, 1]);
    // Nor a consistent forged one: the node reads the stored truth back and stays on it.
    watch = await watchCommands(nodes);
    await raw.spublish(events, carrying(7, record(7, { apikey: 'forged' })));
    await waitFor('each node reading the group back', () =>
      watch.count('hget').every((count) => count === 1),
    );
    expect(await watch.stop('hget')).toEqual([1, 1]);
    expect(nodes.map((node) => node.config.getConfigGroup()?.version)).toEqual([1, 1]);
    expect(
      nodes.flatMap((node) => node.changes).some((e) => e.current?.config.apikey === 'forged'),
    ).toBe(false);
  });

  // Anyone allowed to PUBLISH on the channel can send a record that matches its own digest and
  // version: a node cannot tell it from ours without reading Redis. The refresh's digest check
  // (one small reply per period) then puts the stored group back.
  it('undoes a consistent forged record at the next refresh', async () => {
    const { nodes, events } = await setup({}, { refreshMs: 200 });
    await raw.spublish(events, carrying(7, record(7, { apikey: 'forged' })));
    await waitFor('the forged record applied', () =>
      nodes.every((node) => node.changes.some((e) => e.current?.config.apikey === 'forged')),
    );
    await waitFor('the stored group back', () =>
      nodes.every(
        (node) => node.config.get('apikey') === 'k0' && node.config.getConfigGroup()?.version === 0,
      ),
    );
  });
});
