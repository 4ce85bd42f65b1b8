import { RedisServer } from '../helpers/redis-server';
import { authorizedApi, groupPath, startAdmin, TestAdmin } from './admin-app';

describe('admin REST: group input validation and size limit (real app, real Redis)', () => {
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

  describe('input validation: 400 naming the field, nothing written', () => {
    it.each([
      ['an empty name', ''],
      ['a name of 129 characters', 'x'.repeat(129)],
      ['a control character', 'bad\nname'],
      ['a leading space', ' lead'],
      ['a trailing space', 'trail '],
      ['a hash-tag brace', 'a{b}'],
      ['a number', 42],
    ])('refuses %s as a group name', async (_label, name) => {
      const response = await api.post('/api/groups').send({ name, config: {} });
      expect(response.status).toBe(400);
      expect(response.body.problems).toEqual([{ field: 'name', message: expect.any(String) }]);
      expect(
        (await api.get('/api/groups').expect(200)).body.map((g: { name: unknown }) => g.name),
      ).not.toContain(name);
    });

    it('accepts a name of exactly 128 characters', async () => {
      await api
        .post('/api/groups')
        .send({ name: 'y'.repeat(128), config: {} })
        .expect(201);
    });

    it.each([
      ['an array', [1, 2]],
      ['a string', 'text'],
      ['null', null],
      ['a number', 7],
    ])('refuses %s as a config', async (_label, config) => {
      const name = fresh('bad-config');
      const response = await api.post('/api/groups').send({ name, config });
      expect(response.status).toBe(400);
      expect(response.body.problems).toEqual([{ field: 'config', message: expect.any(String) }]);
      await api.get(groupPath(name)).expect(404);
    });

    it('refuses a missing config, unknown fields, and a non-object body', async () => {
      const missing = await api.post('/api/groups').send({ name: fresh('x') });
      expect(missing.status).toBe(400);
      expect(missing.body.problems.map((p: { field: string }) => p.field)).toEqual(['config']);

      const unknown = await api
        .post('/api/groups')
        .send({ name: fresh('x'), config: {}, owner: 'me' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.problems).toEqual([
        { field: 'owner', message: 'is not an allowed field' },
      ]);

      const array = await api.post('/api/groups').send([{ name: 'x', config: {} }]);
      expect(array.status).toBe(400);
      expect(array.body.problems).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    });

    it('answers malformed JSON with a 400 in the same JSON error format', async () => {
      const response = await api
        .post('/api/groups')
        .set('Content-Type', 'application/json')
        .send('{"name": "x", "config": {');
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/json/);
      expect(response.body).toMatchObject({ statusCode: 400, problems: [{ field: 'body' }] });
    });

    it('refuses a version sent as a string or a negative number, and a too-long comment', async () => {
      const name = fresh('typed');
      await api.post('/api/groups').send({ name, config: {} }).expect(201);
      for (const expectedVersion of ['0', -1, 1.5]) {
        const response = await api.put(groupPath(name)).send({ config: {}, expectedVersion });
        expect(response.status).toBe(400);
        expect(response.body.problems[0].field).toBe('expectedVersion');
      }
      const comment = await api.put(groupPath(name)).send({ config: {}, comment: 'c'.repeat(501) });
      expect(comment.status).toBe(400);
      expect(comment.body.problems[0].field).toBe('comment');
      expect((await api.get(groupPath(name))).body.version).toBe(0);
    });

    it('refuses a search that is not a single short string', async () => {
      const twice = await api.get('/api/groups?search=a&search=b');
      expect(twice.status).toBe(400);
      expect(twice.body.problems[0].field).toBe('search');
      const long = await api.get(`/api/groups?search=${'s'.repeat(129)}`);
      expect(long.status).toBe(400);
    });
  });

  describe('body size limit', () => {
    it('accepts a body just under 1 MiB and refuses one over it with a JSON 413', async () => {
      const big = fresh('big');
      const under = await api
        .post('/api/groups')
        .send({ name: big, config: { blob: 'x'.repeat(1024 * 1024 - 200) } });
      expect(under.status).toBe(201);
      // Later lists need not read 1 MiB back (ioredis keeps a timer alive for seconds after).
      await api.delete(groupPath(big)).expect(200);

      const name = fresh('too-big');
      const over = await api
        .post('/api/groups')
        .send({ name, config: { blob: 'x'.repeat(1024 * 1024) } });
      expect(over.status).toBe(413);
      expect(over.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
      await api.get(groupPath(name)).expect(404);
    });
  });
});
