import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { RedisServer } from '../helpers/redis-server';
import { startAdmin, TestAdmin } from './admin-app';

interface ExportEntry {
  group_name: string;
  group_version: number;
  config_dict: Record<string, unknown> | null;
}

const OLD_EXPORT = readFileSync(join(__dirname, '..', 'fixtures', 'old-console-export.json'));
const OLD_ENTRIES = JSON.parse(OLD_EXPORT.toString('utf8')) as ExportEntry[];

describe('admin import / export (real app, real Redis)', () => {
  let redis: RedisServer;
  const admins: TestAdmin[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await Promise.all(admins.map((admin) => admin.app.close()));
    await redis.dispose();
  });

  /** A fresh admin on its own namespace (an empty config center), with a typed client. */
  async function freshAdmin(bodyLimitBytes?: number) {
    // The file format, values in clear: a masked export imported back is in secrets.e2e-spec.ts.
    const admin = await startAdmin(redis, {
      settings: { secretKeys: '', ...(bodyLimitBytes ? { bodyLimitBytes } : {}) },
    });
    admins.push(admin);
    const http: Server = admin.app.getHttpServer();
    const call = (method: 'get' | 'post' | 'put', path: string) =>
      request(http)[method](path).set('Authorization', admin.auth);
    const exported = async () =>
      (await call('get', '/api/export').expect(200)).body as ExportEntry[];
    return { admin, call, exported };
  }

  it("exports every group in the old project's file format, sorted, as a download", async () => {
    const { call } = await freshAdmin();
    await call('post', '/api/groups')
      .send({ name: 'b', config: { k: [1, { x: null }] } })
      .expect(201);
    await call('post', '/api/groups').send({ name: 'a', config: {} }).expect(201);
    await call('put', '/api/groups/a')
      .send({ config: { n: 1 } })
      .expect(200);

    const response = await call('get', '/api/export').expect(200);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="rcc-export-\d{4}-\d\d-\d\d\.json"$/,
    );
    expect(response.body).toEqual([
      { group_name: 'a', group_version: 1, config_dict: { n: 1 } },
      { group_name: 'b', group_version: 0, config_dict: { k: [1, { x: null }] } },
    ]);
  });

  it('imports the old console export as a JSON body: dry run first, then all of it', async () => {
    const { call, exported } = await freshAdmin();
    await call('post', '/api/groups')
      .send({ name: 'group_1', config: OLD_ENTRIES[2].config_dict })
      .expect(201);
    await call('post', '/api/groups')
      .send({ name: 'group_2', config: { changed: true } })
      .expect(201);
    const before = await exported();

    const preview = await call('post', '/api/import?dryRun=true').send(OLD_ENTRIES).expect(200);
    expect(preview.body).toMatchObject({
      dryRun: true,
      applied: false,
      unchanged: ['group_1'],
      updated: ['group_2'],
    });
    expect(preview.body.created).toEqual(
      OLD_ENTRIES.map((e) => e.group_name).filter((n) => n !== 'group_1' && n !== 'group_2'),
    );
    expect(preview.body.entries).toContainEqual({
      name: 'group_2',
      action: 'update',
      currentVersion: 0,
      newVersion: 1,
    });
    expect(await exported()).toEqual(before); // a dry run writes nothing

    const applied = await call('post', '/api/import').send(OLD_ENTRIES).expect(200);
    expect(applied.body).toMatchObject({
      dryRun: false,
      applied: true,
      created: preview.body.created,
    });
    const after = new Map((await exported()).map((e) => [e.group_name, e]));
    for (const entry of OLD_ENTRIES) {
      expect(after.get(entry.group_name)?.config_dict).toEqual(entry.config_dict ?? {});
    }
    // A new group keeps its file version; a changed one gets its current version + 1.
    expect(after.get('group_2')?.group_version).toBe(1);
    const history = await call('get', '/api/groups/group_2/history').expect(200);
    expect(history.body[0]).toMatchObject({ author: 'tester', comment: 'import' });
  });

  it('imports an uploaded file (multipart), with the same preview and result', async () => {
    const { call, exported } = await freshAdmin();
    const preview = await call('post', '/api/import?dryRun=1')
      .attach('file', OLD_EXPORT, { filename: 'export.json', contentType: 'application/json' })
      .expect(200);
    expect(preview.body.created).toHaveLength(OLD_ENTRIES.length);
    expect(await exported()).toEqual([]);

    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), OLD_EXPORT]);
    await call('post', '/api/import').attach('file', bom, 'export.json').expect(200);
    expect((await exported()).map((e) => e.group_name)).toEqual(
      OLD_ENTRIES.map((e) => e.group_name).sort(),
    );
  });

  it('refuses a file with any invalid entry whole, listing every problem, writing nothing', async () => {
    const { call, exported } = await freshAdmin();
    await call('post', '/api/groups')
      .send({ name: 'keep', config: { v: 1 } })
      .expect(201);
    const before = await exported();
    const file = [
      { group_name: 'fine-1', group_version: 0, config_dict: { a: 1 } },
      { group_name: 'bad{name}', group_version: 0, config_dict: {} },
      { group_name: 'fine-2', group_version: -3, config_dict: { b: 2 } },
      { group_name: 'keep', group_version: 0, config_dict: ['not', 'an', 'object'] },
      'not an object',
      { group_name: 'fine-1', group_version: 0, config_dict: {} },
    ];
    for (const path of ['/api/import', '/api/import?dryRun=true']) {
      const response = await call('post', path).send(file);
      expect(response.status).toBe(400);
      expect(response.body.problems.map((p: { field: string }) => p.field)).toEqual([
        '[1].group_name',
        '[2].group_version',
        '[3].config_dict',
        '[4]',
        '[5].group_name',
      ]);
    }
    const upload = await call('post', '/api/import').attach(
      'file',
      Buffer.from(JSON.stringify(file)),
      'bad.json',
    );
    expect(upload.status).toBe(400);
    expect(upload.body.problems).toHaveLength(5);
    expect(await exported()).toEqual(before);
  });

  it('names the file when it is not JSON, not an array, or missing', async () => {
    const { call } = await freshAdmin();
    const notJson = await call('post', '/api/import').attach(
      'file',
      Buffer.from('{"group_name": '),
      'x.json',
    );
    expect(notJson.status).toBe(400);
    expect(notJson.body.problems).toEqual([
      { field: 'file', message: expect.stringMatching(/^is not valid JSON/) },
    ]);

    const notUtf8 = await call('post', '/api/import').attach(
      'file',
      Buffer.from([0xff, 0xfe, 0x00]),
      'x.json',
    );
    expect(notUtf8.body.problems).toEqual([{ field: 'file', message: 'is not UTF-8 text' }]);

    const object = await call('post', '/api/import').send({ group_name: 'x' });
    expect(object.status).toBe(400);
    expect(object.body.problems[0].field).toBe('file');

    const nothing = await call('post', '/api/import');
    expect(nothing.status).toBe(400);
    expect(nothing.body.problems[0].field).toBe('file');

    const badFlag = await call('post', '/api/import?dryRun=maybe').send([]);
    expect(badFlag.status).toBe(400);
    expect(badFlag.body.problems).toEqual([{ field: 'dryRun', message: 'must be true or false' }]);
  });

  it('refuses a body or an uploaded file over the limit with 413, writing nothing', async () => {
    const { call, exported } = await freshAdmin(64 * 1024);
    const big = [
      { group_name: 'big', group_version: 0, config_dict: { blob: 'x'.repeat(70 * 1024) } },
    ];
    const body = await call('post', '/api/import').send(big);
    expect(body.status).toBe(413);
    expect(body.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    const file = await call('post', '/api/import').attach(
      'file',
      Buffer.from(JSON.stringify(big)),
      'big.json',
    );
    expect(file.status).toBe(413);
    expect(file.body).toMatchObject({ statusCode: 413 });
    expect(await exported()).toEqual([]);
  });

  it('round-trips: export of one config center imported into an empty one exports the same', async () => {
    const source = await freshAdmin();
    await source
      .call('post', '/api/groups')
      .send({ name: 'alpha', config: { list: [], obj: {}, n: 1.5, s: 'é' } })
      .expect(201);
    await source
      .call('put', '/api/groups/alpha')
      .send({ config: { list: [1], obj: { deep: { er: true } } } })
      .expect(200);
    await source
      .call('put', '/api/groups/alpha')
      .send({ config: { list: [1, 2], obj: {} } })
      .expect(200);
    await source
      .call('post', '/api/groups')
      .send({ name: 'beta/γ', config: { nested: [[], [{}]] } })
      .expect(201);
    const file = await source.exported();

    const target = await freshAdmin();
    await target.call('post', '/api/import').send(file).expect(200);
    expect(await target.exported()).toEqual(file);
    // Importing the same file again changes nothing.
    const again = await target.call('post', '/api/import').send(file).expect(200);
    expect(again.body).toMatchObject({ created: [], updated: [], unchanged: ['alpha', 'beta/γ'] });
    expect(await target.exported()).toEqual(file);
  });
});
