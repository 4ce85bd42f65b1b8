import { RedisServer } from '../helpers/redis-server';
import { authorizedApi, groupPath, startAdmin, TestAdmin } from './admin-app';

describe('admin REST: groups (real app, real Redis)', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  let counter = 0;
  const fresh = (label: string) => `${label}-${++counter}`;

  const api = authorizedApi(() => admin);

  beforeAll(async () => {
    redis = await RedisServer.start();
    // CRUD as stored, secrets in clear: masking has its own suite (secrets.e2e-spec.ts).
    admin = await startAdmin(redis, { settings: { secretKeys: '' } });
  });
  afterAll(async () => {
    await admin.app.close();
    await redis.dispose();
  });

  describe('create and read', () => {
    it('creates a group at version 0 and reads back its config exactly as written', async () => {
      const name = fresh('payments');
      const config = {
        youtube_apikey: 'AIza-1',
        timeout_ms: 3000,
        ratio: 0.25,
        enabled: false,
        nothing: null,
        regions: ['sg', 'de', []],
        nested: { a: { b: [1, { c: '中文' }] }, empty: {} },
      };
      const created = await api.post('/api/groups').send({ name, config, comment: 'first' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name, version: 0, config, author: 'tester' });

      const read = await api.get(groupPath(name)).expect(200);
      expect(read.body).toMatchObject({ name, version: 0, config, comment: 'first' });
      expect(Date.parse(read.body.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('answers 409 when the name is taken, and keeps the first group', async () => {
      const name = fresh('taken');
      await api
        .post('/api/groups')
        .send({ name, config: { v: 1 } })
        .expect(201);
      const again = await api.post('/api/groups').send({ name, config: { v: 2 } });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(again.body.message).toContain(name);
      expect((await api.get(groupPath(name))).body.config).toEqual({ v: 1 });
    });

    it('answers 404 for a group that does not exist', async () => {
      const response = await api.get(groupPath('no-such-group'));
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });

    it('handles names with slashes, spaces inside and non-ASCII through URL encoding', async () => {
      const name = `team/a b/配置-${++counter}`;
      await api
        .post('/api/groups')
        .send({ name, config: { k: 'v' } })
        .expect(201);
      expect((await api.get(groupPath(name)).expect(200)).body.name).toBe(name);
      await api
        .put(groupPath(name))
        .send({ config: { k: 'w' } })
        .expect(200);
      await api.delete(groupPath(name)).expect(200);
    });

    it('keeps a "__proto__" key as plain data, polluting nothing', async () => {
      const name = fresh('proto');
      const raw = `{"name":"${name}","config":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"a":1}}`;
      const created = await api
        .post('/api/groups')
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(created.body).toMatchObject({ version: 0 });
      const read = await api.get(groupPath(name)).expect(200);
      expect(read.text).toContain('"__proto__":{"polluted":true}');
      expect(Object.keys(read.body.config)).toEqual(['__proto__', 'constructor', 'a']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    });
  });

  describe('replace with optimistic concurrency', () => {
    it('creates an absent group with PUT, then adds 1 per replace', async () => {
      const name = fresh('put');
      expect(
        (
          await api
            .put(groupPath(name))
            .send({ config: { a: 1 } })
            .expect(200)
        ).body.version,
      ).toBe(0);
      expect(
        (
          await api
            .put(groupPath(name))
            .send({ config: { a: 2 } })
            .expect(200)
        ).body.version,
      ).toBe(1);
      const current = await api.put(groupPath(name)).send({ config: { a: 3 }, expectedVersion: 1 });
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({ version: 2, config: { a: 3 } });
    });

    it('answers 409 on a stale expectedVersion, naming both versions, and loses no update', async () => {
      const name = fresh('stale');
      await api
        .put(groupPath(name))
        .send({ config: { who: 'first' } })
        .expect(200);
      await api
        .put(groupPath(name))
        .send({ config: { who: 'alice' }, expectedVersion: 0 })
        .expect(200);
      const bob = await api
        .put(groupPath(name))
        .send({ config: { who: 'bob' }, expectedVersion: 0 });
      expect(bob.status).toBe(409);
      expect(bob.body).toMatchObject({ statusCode: 409, expectedVersion: 0, actualVersion: 1 });
      expect((await api.get(groupPath(name))).body).toMatchObject({
        version: 1,
        config: { who: 'alice' },
      });
    });

    it('answers 409 when expectedVersion is given for a group that does not exist', async () => {
      const name = fresh('ghost');
      const response = await api.put(groupPath(name)).send({ config: {}, expectedVersion: 3 });
      expect(response.status).toBe(409);
      expect(response.body.actualVersion).toBeNull();
      await api.get(groupPath(name)).expect(404);
    });

    it('refuses to write a name the naming rule forbids, even through PUT', async () => {
      const response = await api.put(groupPath('x{y}')).send({ config: {} });
      expect(response.status).toBe(400);
      expect(response.body.problems).toEqual([{ field: 'name', message: expect.any(String) }]);
    });
  });

  describe('list', () => {
    it('lists groups sorted, with version, key count, update time, and searches plain text', async () => {
      const prefix = `Search.${++counter}`;
      await api
        .post('/api/groups')
        .send({ name: `${prefix}-b`, config: { a: 1, b: 2 } })
        .expect(201);
      await api
        .post('/api/groups')
        .send({ name: `${prefix}-a`, config: {} })
        .expect(201);
      await api
        .put(groupPath(`${prefix}-a`))
        .send({ config: { z: 1 } })
        .expect(200);

      const found = await api.get(`/api/groups?search=${encodeURIComponent(prefix.toLowerCase())}`);
      expect(found.status).toBe(200);
      expect(found.body).toEqual([
        {
          name: `${prefix}-a`,
          version: 1,
          keyCount: 1,
          updatedAt: expect.any(String),
          nodeCount: 0,
          sharedNodeCount: 0,
        },
        {
          name: `${prefix}-b`,
          version: 0,
          keyCount: 2,
          updatedAt: expect.any(String),
          nodeCount: 0,
          sharedNodeCount: 0,
        },
      ]);
      // A regex-looking search is plain text: it matches nothing here, and cannot be made slow.
      expect((await api.get(`/api/groups?search=${encodeURIComponent('.*')}`)).body).toEqual([]);
    });
  });

  describe('delete', () => {
    it('deletes a group, then answers 404 for it and for a second delete', async () => {
      const name = fresh('gone');
      await api
        .post('/api/groups')
        .send({ name, config: { k: 1 } })
        .expect(201);
      const deleted = await api.delete(groupPath(name));
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({
        name,
        deleted: true,
        reassignedNodes: [],
        sharedNodes: [],
        sharedNodeCount: 0,
        warning: null,
      });
      await api.get(groupPath(name)).expect(404);
      await api.get(`${groupPath(name)}/history`).expect(404);
      expect((await api.delete(groupPath(name))).status).toBe(404);
    });
  });

  describe('history and rollback', () => {
    it('keeps every version newest first with time, author and comment', async () => {
      const name = fresh('hist');
      await api
        .post('/api/groups')
        .send({ name, config: { v: 0 }, comment: 'created' })
        .expect(201);
      await api
        .put(groupPath(name))
        .send({ config: { v: 1 }, comment: 'bump' })
        .expect(200);
      await api
        .put(groupPath(name))
        .send({ config: { v: 2 } })
        .expect(200);

      const history = await api.get(`${groupPath(name)}/history`).expect(200);
      expect(history.body.map((e: { version: number }) => e.version)).toEqual([2, 1, 0]);
      expect(history.body.map((e: { current: boolean }) => e.current)).toEqual([
        true,
        false,
        false,
      ]);
      expect(history.body[1]).toMatchObject({
        config: { v: 1 },
        author: 'tester',
        comment: 'bump',
        updatedAt: expect.any(String),
      });
      expect(history.body[2].comment).toBe('created');
    });

    it('rolls back by publishing the old content as a new version', async () => {
      const name = fresh('rollback');
      await api
        .post('/api/groups')
        .send({ name, config: { key: 'good' } })
        .expect(201);
      await api
        .put(groupPath(name))
        .send({ config: { key: 'broken' } })
        .expect(200);

      const rolled = await api.post(`${groupPath(name)}/rollback`).send({ version: 0 });
      expect(rolled.status).toBe(200);
      expect(rolled.body).toMatchObject({ version: 2, config: { key: 'good' }, author: 'tester' });
      expect((await api.get(groupPath(name))).body).toMatchObject({
        version: 2,
        config: { key: 'good' },
      });
      const history = await api.get(`${groupPath(name)}/history`);
      expect(history.body[0]).toMatchObject({ version: 2, comment: 'rollback to version 0' });
      expect(history.body).toHaveLength(3);
    });

    it('answers 404 for a version not kept, 409 for a stale expectedVersion, 400 without a version', async () => {
      const name = fresh('rb-errors');
      await api
        .post('/api/groups')
        .send({ name, config: { a: 1 } })
        .expect(201);
      await api
        .put(groupPath(name))
        .send({ config: { a: 2 } })
        .expect(200);

      expect((await api.post(`${groupPath(name)}/rollback`).send({ version: 9 })).status).toBe(404);
      const stale = await api
        .post(`${groupPath(name)}/rollback`)
        .send({ version: 0, expectedVersion: 0 });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ expectedVersion: 0, actualVersion: 1 });
      const missing = await api.post(`${groupPath(name)}/rollback`).send({});
      expect(missing.status).toBe(400);
      expect(missing.body.problems[0].field).toBe('version');
      expect((await api.post(`${groupPath('nope')}/rollback`).send({ version: 0 })).status).toBe(
        404,
      );
      expect((await api.get(groupPath(name))).body.version).toBe(1);
    });
  });
});
