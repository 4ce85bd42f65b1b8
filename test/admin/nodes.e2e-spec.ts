import type { NodeInfo } from '@rcc/redis-config/publisher';
import { RedisServer } from '../helpers/redis-server';
import { authorizedApi, groupPath, startAdmin, TestAdmin } from './admin-app';

describe('admin REST: nodes (real app, real Redis)', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let counter = 0;
  const fresh = (label: string) => `${label}-${++counter}`;

  const api = authorizedApi(() => admin);

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = await startAdmin(redis);
  });
  afterAll(async () => {
    await admin.app.close();
    await redis.dispose();
  });

  describe('nodes holding groups (leases in the registry layout)', () => {
    async function writeLease(node: Partial<NodeInfo> & { id: string }, expiresInMs: number) {
      const client = redis.client();
      try {
        const expiry = Date.now() + expiresInMs;
        // No `shared` unless given: the report of a node from before shared groups.
        const info: Omit<NodeInfo, 'shared'> & Partial<NodeInfo> = {
          address: '10.0.0.1',
          requestedGroup: 'default',
          group: null,
          version: null,
          holding: 'assigned',
          heartbeatAt: new Date().toISOString(),
          leaseExpiresAt: new Date(expiry).toISOString(),
          appliedAt: null,
          ...node,
        };
        await client.zadd(`{${admin.namespace}}:nodes`, expiry, node.id);
        await client.hset(`{${admin.namespace}}:node-info`, node.id, JSON.stringify(info));
      } finally {
        client.disconnect();
      }
    }

    it('counts live holders per group, lists live nodes only, and names the holders of a deleted group', async () => {
      const name = fresh('held');
      await api
        .post('/api/groups')
        .send({ name, config: { apikey: 'k' } })
        .expect(201);
      await writeLease({ id: 'node-a', group: name, version: 0, holding: 'pinned' }, 60_000);
      await writeLease({ id: 'node-b', group: name, version: 0 }, 60_000);
      await writeLease({ id: 'node-dead', group: name, version: 0 }, -1_000);

      const listed = await api.get(`/api/groups?search=${encodeURIComponent(name)}`).expect(200);
      expect(listed.body).toEqual([expect.objectContaining({ name, nodeCount: 2 })]);

      const nodes = await api.get('/api/nodes').expect(200);
      expect(nodes.body.map((n: NodeInfo) => n.id)).toEqual(['node-a', 'node-b']);
      expect(nodes.body[0]).toMatchObject({
        id: 'node-a',
        address: '10.0.0.1',
        group: name,
        version: 0,
        holding: 'pinned',
        heartbeatAt: expect.any(String),
      });

      const deleted = await api.delete(groupPath(name)).expect(200);
      expect(deleted.body.reassignedNodes).toEqual(['node-a', 'node-b']);
      expect(deleted.body).toMatchObject({ sharedNodes: [], sharedNodeCount: 0, warning: null });
    });

    it('shows the shared groups of each node, counts their followers, and warns when one is deleted', async () => {
      const common = fresh('common');
      const own = fresh('own');
      for (const name of [common, own])
        await api
          .post('/api/groups')
          .send({ name, config: { k: 1 } })
          .expect(201);
      const shared = [{ name: common, version: 0 }];
      await writeLease({ id: 'shared-a', group: own, version: 0, shared }, 60_000);
      await writeLease({ id: 'shared-b', group: own, version: 0, shared }, 60_000);
      // A node from before shared groups reports none: it is read with an empty list.
      await writeLease({ id: 'shared-old', group: own, version: 0 }, 60_000);

      const nodes = await api.get('/api/nodes').expect(200);
      const byId = new Map(nodes.body.map((n: NodeInfo) => [n.id, n]));
      expect(byId.get('shared-a')).toMatchObject({ group: own, shared });
      expect(byId.get('shared-old')).toMatchObject({ shared: [] });

      const listed = await api.get(`/api/groups?search=${encodeURIComponent(common)}`).expect(200);
      expect(listed.body).toEqual([
        expect.objectContaining({ name: common, nodeCount: 0, sharedNodeCount: 2 }),
      ]);
      const deleted = await api.delete(groupPath(common)).expect(200);
      expect(deleted.body).toMatchObject({
        reassignedNodes: [],
        sharedNodes: ['shared-a', 'shared-b'],
        sharedNodeCount: 2,
        warning: expect.stringContaining('2 nodes used'),
      });
    });
  });
});
