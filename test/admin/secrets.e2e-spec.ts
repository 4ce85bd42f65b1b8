import { ConsoleLogger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import request from 'supertest';
import { createAdminApp } from '../../apps/admin/src/admin-app.factory';
import { resolveAdminSettings } from '../../apps/admin/src/settings/admin-settings';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';

/**
 * Secrets (DESIGN §14) through the real admin over HTTP on a real Redis: masked for readers and
 * writers on every read path and write answer, revealed to admins only, masks sent back keeping
 * the stored values, and no secret value in the admin's own log output (its JSON logger's lines,
 * as main.ts writes them, captured for the whole suite).
 */
const TOKENS = {
  reader: 'secrets-reader-token-0123456789',
  writer: 'secrets-writer-token-0123456789',
  admin: 'secrets-admin-token-01234567890',
} as const;
type Role = keyof typeof TOKENS;
const MASK = '••••';

/** Secret-shaped values, new each run: whatever the suite stores must never reach a log line. */
const SECRETS = {
  google: `AIza${randomBytes(24).toString('base64url')}`,
  stripe: `sk_live_${randomBytes(16).toString('hex')}`,
  github: `ghp_${randomBytes(18).toString('base64url')}`,
  jwt: `eyJhbGciOiJIUzI1NiJ9.${randomBytes(12).toString('base64url')}.${randomBytes(8).toString('hex')}`,
  quoted: `p@ss"w\\ord ${randomBytes(6).toString('hex')} 中文\n`,
  short: `pw${randomBytes(3).toString('hex')}`,
};
const tail = (value: string) => `${MASK}${value.slice(-4)}`;

describe('admin secrets: masking, reveal, masks sent back (real app, real Redis)', () => {
  let redis: RedisServer;
  let raw: Redis;
  let app: NestExpressApplication;
  let namespace: string;
  const logged: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    // The JSON lines main.ts writes (every level), kept instead of printed.
    for (const stream of [process.stdout, process.stderr]) {
      spies.push(
        jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
          logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
          return true;
        }),
      );
    }
    redis = await RedisServer.start();
    raw = redis.client();
    namespace = uniqueNamespace('secrets');
    app = await createAdminApp({
      // Unset RCC_SECRET_KEYS: the default globs.
      settings: resolveAdminSettings(
        {},
        {
          tokens: (Object.keys(TOKENS) as Role[]).map((role) => ({
            label: `holder-${role}`,
            token: TOKENS[role],
            role,
          })),
          microservice: false,
          writeRateLimit: 0,
        },
      ),
      redisConfig: { redis: { url: redis.url }, startupTimeoutMs: 2000, namespace },
      logger: new ConsoleLogger({
        json: true,
        colors: false,
        logLevels: ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'],
      }),
    });
  });
  afterAll(async () => {
    await app?.close();
    raw?.disconnect();
    await redis?.dispose();
    for (const spy of spies) spy.mockRestore();
  });

  const as = (role: Role) => {
    const call = (method: 'get' | 'post' | 'put') => (path: string) =>
      request(app.getHttpServer())[method](path).set('Authorization', `Bearer ${TOKENS[role]}`);
    return { get: call('get'), post: call('post'), put: call('put') };
  };
  const path = (name: string) => `/api/groups/${encodeURIComponent(name)}`;
  const stored = async (name: string) => (await raw.hget(namespace, name)) ?? '';
  const revealed = async (name: string) =>
    (
      await as('admin')
        .get(`${path(name)}?reveal=true`)
        .expect(200)
    ).body as {
      version: number;
      config: Record<string, unknown>;
    };
  const noSecretIn = (text: string) => {
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  };

  describe('masked for readers and writers on every read path', () => {
    const name = 'payments';
    const config = {
      youtube_apikey: SECRETS.google,
      db_password: SECRETS.short,
      timeout_ms: 3000,
      url: 'https://pay.example',
    };
    const masked = {
      youtube_apikey: tail(SECRETS.google),
      db_password: MASK,
      timeout_ms: 3000,
      url: 'https://pay.example',
    };

    beforeAll(async () => {
      const created = await as('writer').post('/api/groups').send({ name, config }).expect(201);
      // The write answers are masked too: a writer does not get the value back.
      expect(created.body).toMatchObject({ version: 0, config: masked });
      noSecretIn(created.text);
      const replaced = await as('writer')
        .put(path(name))
        .send({ config: { ...config, db_password: SECRETS.stripe }, expectedVersion: 0 })
        .expect(200);
      expect(replaced.body).toMatchObject({
        version: 1,
        config: { ...masked, db_password: tail(SECRETS.stripe) },
      });
      noSecretIn(replaced.text);
      const rolledBack = await as('writer')
        .post(`${path(name)}/rollback`)
        .send({ version: 0 })
        .expect(200);
      expect(rolledBack.body).toMatchObject({ version: 2, config: masked });
      noSecretIn(rolledBack.text);
    });

    it.each(['reader', 'writer', 'admin'] as const)(
      'GET group, as %s without reveal',
      async (role) => {
        const read = await as(role).get(path(name)).expect(200);
        expect(read.body).toMatchObject({ version: 2, config: masked });
        noSecretIn(read.text);
      },
    );

    it.each(['reader', 'writer'] as const)('history, as %s: every version masked', async (role) => {
      const history = await as(role)
        .get(`${path(name)}/history`)
        .expect(200);
      expect(history.body.map((entry: { config: unknown }) => entry.config)).toEqual([
        masked,
        { ...masked, db_password: tail(SECRETS.stripe) },
        masked,
      ]);
      noSecretIn(history.text);
    });

    it.each(['reader', 'writer'] as const)('export, as %s', async (role) => {
      const exported = await as(role).get('/api/export').expect(200);
      expect(exported.body).toContainEqual({
        group_name: name,
        group_version: 2,
        config_dict: masked,
      });
      noSecretIn(exported.text);
    });

    it('the list shows no configs at all', async () => {
      const list = await as('reader').get('/api/groups').expect(200);
      expect(list.body).toContainEqual(expect.objectContaining({ name, keyCount: 4 }));
      for (const entry of list.body) expect(entry).not.toHaveProperty('config');
      noSecretIn(list.text);
    });

    it('reveals to an admin asking ?reveal=true: group, history, export', async () => {
      expect(await revealed(name)).toMatchObject({ version: 2, config });
      const history = await as('admin')
        .get(`${path(name)}/history?reveal=true`)
        .expect(200);
      expect(history.body[1].config).toEqual({ ...config, db_password: SECRETS.stripe });
      const exported = await as('admin').get('/api/export?reveal=1').expect(200);
      expect(exported.body).toContainEqual({
        group_name: name,
        group_version: 2,
        config_dict: config,
      });
    });

    it.each([
      ['reader', path(name)],
      ['writer', path(name)],
      ['reader', `${path(name)}/history`],
      ['writer', `${path(name)}/history`],
      ['reader', '/api/export'],
      ['writer', '/api/export'],
    ] as const)('refuses ?reveal=true to a %s with 403: %s', async (role, route) => {
      const refused = await as(role).get(`${route}?reveal=true`).expect(403);
      expect(refused.body.message).toContain('"admin"');
      noSecretIn(refused.text);
      // Asking not to reveal is no reveal: masked, 200.
      const plain = await as(role).get(`${route}?reveal=false`).expect(200);
      noSecretIn(plain.text);
    });

    it('refuses a reveal flag that is not a boolean (400 naming it)', async () => {
      const refused = await as('admin')
        .get(`${path(name)}?reveal=yes-please`)
        .expect(400);
      expect(refused.body.problems).toEqual([
        expect.objectContaining({ field: 'reveal', message: 'must be true or false' }),
      ]);
    });
  });

  describe('saving masked values', () => {
    const name = 'billing';
    const config = { stripe_secret: SECRETS.stripe, api_token: SECRETS.short, retries: 3 };

    beforeEach(async () => {
      await as('admin').put(path(name)).send({ config }).expect(200);
    });

    it('keeps the stored secrets when a writer saves the masks unchanged', async () => {
      const read = await as('writer').get(path(name)).expect(200);
      const saved = await as('writer')
        .put(path(name))
        .send({ config: { ...read.body.config, retries: 4 } })
        .expect(200);
      expect(saved.body).toMatchObject({
        version: read.body.version + 1,
        config: { stripe_secret: tail(SECRETS.stripe), api_token: MASK, retries: 4 },
      });
      expect((await revealed(name)).config).toEqual({ ...config, retries: 4 });
      // In Redis itself: the secrets, never a mask.
      const hash = await stored(name);
      expect(hash).toContain(SECRETS.stripe);
      expect(hash).toContain(SECRETS.short);
      expect(hash).not.toContain(MASK);
    });

    it('stores a changed secret as sent, keeping the unchanged one', async () => {
      const read = await as('writer').get(path(name)).expect(200);
      await as('writer')
        .put(path(name))
        .send({ config: { ...read.body.config, stripe_secret: SECRETS.github } })
        .expect(200);
      expect((await revealed(name)).config).toEqual({ ...config, stripe_secret: SECRETS.github });
    });

    it('refuses a mask that matches no stored value, naming the field, writing nothing', async () => {
      const before = await revealed(name);
      const hash = await stored(name);
      const refused = await as('writer')
        .put(path(name))
        .send({ config: { stripe_secret: `${MASK}zzzz`, api_token: MASK, new_password: MASK } })
        .expect(400);
      expect(refused.body.problems).toEqual([
        expect.objectContaining({ field: 'config.stripe_secret' }),
        expect.objectContaining({ field: 'config.new_password' }),
      ]);
      expect(await stored(name)).toBe(hash);
      expect(await revealed(name)).toEqual(before);

      // A new group has no stored secret for a mask to stand for.
      const created = await as('writer')
        .post('/api/groups')
        .send({ name: 'fresh', config: { apikey: MASK } })
        .expect(400);
      expect(created.body.problems).toEqual([expect.objectContaining({ field: 'config.apikey' })]);
      expect(await raw.hexists(namespace, 'fresh')).toBe(0);
    });

    it('leaves a mask-like value under a key that is not secret as sent', async () => {
      await as('writer')
        .put(path(name))
        .send({ config: { ...config, note: `${MASK}1234` } })
        .expect(200);
      expect((await as('reader').get(path(name)).expect(200)).body.config.note).toBe(`${MASK}1234`);
    });
  });

  it('a masked export imported back keeps every secret (dry run: nothing to update)', async () => {
    await as('admin')
      .put(path('transfer'))
      .send({ config: { Client_Secret: SECRETS.jwt, password: SECRETS.quoted, n: 1 } })
      .expect(200);
    const everything = (await as('admin').get('/api/export?reveal=true').expect(200)).body;
    const file = (await as('writer').get('/api/export').expect(200)).body;
    noSecretIn(JSON.stringify(file));

    const dryRun = await as('writer').post('/api/import?dryRun=true').send(file).expect(200);
    expect(dryRun.body).toMatchObject({ created: [], updated: [] });
    const applied = await as('writer').post('/api/import').send(file).expect(200);
    expect(applied.body).toMatchObject({ created: [], updated: [] });
    expect((await as('admin').get('/api/export?reveal=true').expect(200)).body).toEqual(everything);
    expect(await stored('transfer')).toContain(SECRETS.jwt);

    // A masked entry for a group that is not stored: refused whole, naming the entry.
    const hash = await raw.hgetall(namespace);
    const refused = await as('writer')
      .post('/api/import')
      .send([{ group_name: 'brand-new', group_version: 0, config_dict: { apikey: MASK } }, ...file])
      .expect(400);
    expect(refused.body.problems).toEqual([
      expect.objectContaining({ field: '[0].config_dict.apikey' }),
    ]);
    expect(await raw.hgetall(namespace)).toEqual(hash);
  });

  it('matches the globs in any case', async () => {
    const config = { YOUTUBE_APIKEY: SECRETS.google, Db_PassWord: SECRETS.github, Region: 'eu' };
    await as('writer').put(path('cases')).send({ config }).expect(200);
    expect((await as('reader').get(path('cases')).expect(200)).body.config).toEqual({
      YOUTUBE_APIKEY: tail(SECRETS.google),
      Db_PassWord: tail(SECRETS.github),
      Region: 'eu',
    });
  });

  it('masks secret values that are not strings, and keeps them when saved back masked', async () => {
    const config = {
      pin_secret: 123456789012,
      api_key: { id: 'key-id-0123456789', value: SECRETS.stripe },
      tokens: [SECRETS.github],
      password: null,
      apikey_enabled: true,
    };
    await as('writer').put(path('shapes')).send({ config }).expect(200);
    const read = await as('writer').get(path('shapes')).expect(200);
    expect(read.body.config).toEqual({
      pin_secret: MASK,
      api_key: MASK,
      tokens: MASK,
      password: MASK,
      apikey_enabled: MASK,
    });
    noSecretIn(read.text);
    await as('writer').put(path('shapes')).send({ config: read.body.config }).expect(200);
    expect((await revealed('shapes')).config).toEqual(config);
  });

  it('keeps "__proto__" a plain key while masking and restoring', async () => {
    const body = `{"name":"proto","config":{"__proto__":{"secret":"${SECRETS.stripe}"},"token":"${SECRETS.github}"}}`;
    await as('writer')
      .post('/api/groups')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(201);
    const read = await as('writer').get(path('proto')).expect(200);
    expect(read.text).toContain(`"__proto__":{"secret":"${SECRETS.stripe}"}`);
    expect(read.body.config.token).toBe(tail(SECRETS.github));
  });

  it('writes no secret value to the log, through every path, refusals included', async () => {
    // Each secret-shaped value through create, replace (changed and masked), a refused mask, a
    // stale write, an import and a reveal; then the whole suite's log output is searched.
    for (const [index, secret] of Object.values(SECRETS).entries()) {
      const name = `fuzz-${index}`;
      await as('writer')
        .post('/api/groups')
        .send({ name, config: { api_key: secret, other_token: secret } })
        .expect(201);
      await as('writer')
        .put(path(name))
        .send({ config: { api_key: `${secret}2`, other_token: secret } })
        .expect(200);
      const masked = (await as('writer').get(path(name)).expect(200)).body;
      await as('writer').put(path(name)).send({ config: masked.config }).expect(200);
      await as('writer')
        .put(path(name))
        .send({ config: { api_key: `${MASK}none`, other_token: secret } })
        .expect(400);
      await as('writer')
        .put(path(name))
        .send({ config: { api_key: secret }, expectedVersion: 0 })
        .expect(409);
      await as('writer')
        .post('/api/import')
        .send([{ group_name: name, group_version: 0, config_dict: { secret } }])
        .expect(200);
      await as('reader')
        .get(`${path(name)}?reveal=true`)
        .expect(403);
      expect((await revealed(name)).config).toEqual({ secret });
    }
    const output = logged.join('');
    // The capture works: the reveals were logged, by label, with what was revealed.
    expect(output).toContain('Secrets revealed');
    expect(output).toContain('holder-admin');
    expect(output).toContain('"path":"/api/groups/fuzz-0"');
    noSecretIn(output);
    // Nor the JSON-escaped form of a value holding quotes, backslashes or a line break.
    noSecretIn(output.replace(/\\(["\\])/g, '$1').replace(/\\n/g, '\n'));
    for (const token of Object.values(TOKENS)) expect(output).not.toContain(token);
  });
});
