import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { builtEntry, childEnv, PROJECT_ROOT } from '../blackbox/built-app';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

/**
 * Issue 15's acceptance, on the built admin (`node dist/apps/admin/main.js`) over real HTTP, with
 * a reader, a writer and an admin token from ADMIN_TOKENS: 401 / 403, masked reads (list,
 * history, export) for reader and writer, a masked value saved unchanged keeping the secret,
 * reveal for the admin, the audit log (create, publish, reveal, refused, by actor, no value), and
 * none of the secret-shaped values sent through the API in anything the process printed.
 */
jest.setTimeout(90_000);

const MASK = '••••';
const token = () => randomBytes(24).toString('base64url');
const TOKENS = { reader: token(), writer: token(), admin: token() };
type Role = keyof typeof TOKENS;
const LABEL: Record<Role, string> = {
  reader: 'proc-reader',
  writer: 'proc-writer',
  admin: 'proc-admin',
};

/** Secret-shaped values, new each run; the short ones mask to "••••". */
const SECRETS = {
  google: `AIza${randomBytes(24).toString('base64url')}`,
  stripe: `sk_live_${randomBytes(16).toString('hex')}`,
  github: `ghp_${randomBytes(18).toString('base64url')}`,
  jwt: `eyJhbGciOiJIUzI1NiJ9.${randomBytes(12).toString('base64url')}.${randomBytes(8).toString('hex')}`,
  quoted: `p@ss"w\\ord ${randomBytes(6).toString('hex')} 中文\n`,
  pem: `-----BEGIN PRIVATE KEY-----\n${randomBytes(30).toString('base64')}\n-----END PRIVATE KEY-----`,
  // 4 characters, with a sign no log line or id holds: a match is this value, not chance.
  shortOld: `§${randomBytes(2).toString('hex').slice(0, 3)}`,
  shortNew: `¤${randomBytes(2).toString('hex').slice(0, 3)}`,
};
const ALL_SECRETS = Object.values(SECRETS);

/** The built admin, every byte it prints kept (the shared helper keeps only the tail). */
class AdminProcess {
  output = '';
  private readonly exit: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => (this.output += chunk.toString('utf8'));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static start(env: Record<string, string>): AdminProcess {
    const child = spawn(process.execPath, [builtEntry('admin')], {
      cwd: PROJECT_ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AdminProcess(child);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exit;
    clearTimeout(timer);
  }
}

interface Answer {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

interface AuditRow {
  action: string;
  actor: string | null;
  role: string | null;
  status: number;
  group: string | null;
  fromVersion: number | null;
  toVersion: number | null;
  keys: string[];
}

describe('built admin process: roles, masking, reveal, audit, no secret printed', () => {
  let redis: RedisServer;
  let raw: Redis;
  let admin: AdminProcess;
  let url: string;
  let namespace: string;

  const call = async (
    who: Role | 'nobody' | 'stranger',
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (who === 'stranger') headers.authorization = `Bearer ${token()}`;
    else if (who !== 'nobody') headers.authorization = `Bearer ${TOKENS[who]}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (a JSON-lines download)
    }
    return { status: response.status, text, body: parsed };
  };
  const noSecretIn = (text: string) => {
    for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);
  };
  const audit = async (query = ''): Promise<AuditRow[]> => {
    const answer = await call('admin', 'GET', `/api/audit?limit=1000${query}`);
    expect(answer.status).toBe(200);
    return answer.body as AuditRow[];
  };

  const config = {
    youtube_apikey: SECRETS.google,
    stripe_secret: SECRETS.stripe,
    db_password: SECRETS.shortOld,
    timeout_ms: 3000,
  };

  beforeAll(async () => {
    builtEntry('admin'); // fails first, saying to run the build, when dist/ is missing
    redis = await RedisServer.start();
    raw = redis.client();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    namespace = uniqueNamespace('process-security');
    admin = AdminProcess.start({
      REDIS_URL: redis.url,
      RCC_NAMESPACE: namespace,
      ADMIN_PORT: String(port),
      ADMIN_TOKENS: (Object.keys(TOKENS) as Role[])
        .map((role) => `${LABEL[role]}:${TOKENS[role]}:${role}`)
        .join(','),
      ADMIN_WRITE_RATE_LIMIT: '0',
      LOG_LEVEL: 'debug', // every request logged: all of it is checked for secrets below
    });
    await waitFor(
      'the admin to answer /health',
      async () => {
        try {
          return (await fetch(`${url}/health`)).ok;
        } catch {
          return false;
        }
      },
      30_000,
      50,
    );
  }, 60_000);

  afterAll(async () => {
    await admin?.stop();
    raw?.disconnect();
    await redis?.dispose();
  });

  it('answers 401 without a token or with an unknown one, on reads too', async () => {
    for (const who of ['nobody', 'stranger'] as const) {
      for (const path of ['/api/groups', '/api/session', '/api/audit', '/api/export']) {
        const answer = await call(who, 'GET', path);
        expect(answer.status).toBe(401);
      }
    }
  });

  it('tells each token its label and role at GET /api/session', async () => {
    for (const role of Object.keys(TOKENS) as Role[]) {
      const answer = await call(role, 'GET', '/api/session');
      expect(answer).toMatchObject({ status: 200, body: { label: LABEL[role], role } });
      expect(answer.text).not.toContain(TOKENS[role]);
    }
  });

  it('answers 403 to a valid token below the route’s role', async () => {
    const refused: [Role, string, string][] = [
      ['reader', 'POST', '/api/groups'],
      ['reader', 'PUT', '/api/groups/payments'],
      ['reader', 'DELETE', '/api/groups/payments'],
      ['reader', 'POST', '/api/import'],
      ['writer', 'GET', '/api/audit'],
      ['writer', 'GET', '/api/groups/payments?reveal=true'],
      ['reader', 'GET', '/api/export?reveal=true'],
    ];
    for (const [role, method, path] of refused) {
      const answer = await call(role, method, path, method === 'GET' ? undefined : {});
      expect([role, method, path, answer.status]).toEqual([role, method, path, 403]);
    }
  });

  it('creates and publishes as a writer; every answer and read is masked for reader and writer', async () => {
    const created = await call('writer', 'POST', '/api/groups', { name: 'payments', config });
    expect(created.status).toBe(201);
    expect(created.body.config).toEqual({
      youtube_apikey: `${MASK}${SECRETS.google.slice(-4)}`,
      stripe_secret: `${MASK}${SECRETS.stripe.slice(-4)}`,
      db_password: MASK,
      timeout_ms: 3000,
    });
    noSecretIn(created.text);

    // The writer saves what it read (masks unchanged) with one change: the secrets stay.
    const read = await call('writer', 'GET', '/api/groups/payments');
    const saved = await call('writer', 'PUT', '/api/groups/payments', {
      config: { ...read.body.config, timeout_ms: 5000 },
      expectedVersion: 0,
    });
    expect(saved.status).toBe(200);
    const hash = (await raw.hget(namespace, 'payments')) ?? '';
    expect(hash).toContain(SECRETS.google);
    expect(hash).toContain(SECRETS.stripe);
    expect(hash).not.toContain(MASK);

    // A short secret changed: its mask is the same "••••", its digest is not.
    const changed = await call('writer', 'PUT', '/api/groups/payments', {
      config: { ...read.body.config, timeout_ms: 5000, db_password: SECRETS.shortNew },
      expectedVersion: 1,
    });
    expect(changed.status).toBe(200);
    noSecretIn(changed.text);

    for (const role of ['reader', 'writer'] as const) {
      const list = await call(role, 'GET', '/api/groups');
      expect(list.body).toContainEqual(expect.objectContaining({ name: 'payments', version: 2 }));
      const history = await call(role, 'GET', '/api/groups/payments/history');
      expect(history.status).toBe(200);
      const [v2, v1, v0] = history.body as {
        config: Record<string, unknown>;
        secretDigests: Record<string, string>;
      }[];
      expect([v2.config.db_password, v1.config.db_password]).toEqual([MASK, MASK]);
      expect(v2.secretDigests.db_password).not.toBe(v1.secretDigests.db_password);
      expect(v1.secretDigests).toEqual(v0.secretDigests);
      expect(Object.keys(v2.secretDigests).sort()).toEqual([
        'db_password',
        'stripe_secret',
        'youtube_apikey',
      ]);
      const exported = await call(role, 'GET', '/api/export');
      expect(exported.status).toBe(200);
      for (const answer of [list, history, exported]) noSecretIn(answer.text);
    }
  });

  it('reveals to the admin who asks, on the group, its history and the export', async () => {
    const group = await call('admin', 'GET', '/api/groups/payments?reveal=true');
    expect(group.body.config).toEqual({
      ...config,
      timeout_ms: 5000,
      db_password: SECRETS.shortNew,
    });
    expect(group.body).not.toHaveProperty('secretDigests');
    const history = await call('admin', 'GET', '/api/groups/payments/history?reveal=true');
    expect(history.body[1].config.db_password).toBe(SECRETS.shortOld);
    const exported = await call('admin', 'GET', '/api/export?reveal=true');
    expect(exported.text).toContain(JSON.stringify(SECRETS.google));
    // Without asking, an admin sees masks too.
    noSecretIn((await call('admin', 'GET', '/api/groups/payments')).text);
  });

  it('sends secret-shaped values through every write path and its failures', async () => {
    const fuzz = {
      Client_Secret: SECRETS.jwt,
      password: SECRETS.quoted,
      api_key: { pem: SECRETS.pem },
      access_token: [SECRETS.github],
    };
    expect((await call('writer', 'PUT', '/api/groups/fuzz', { config: fuzz })).status).toBe(200);
    // Refused writes that carry secrets: a bad name, a stale version, a mask standing for
    // nothing, a body that is no JSON, a bad import, a bad rollback version.
    const refusals: [string, string, unknown, number][] = [
      ['POST', '/api/groups', { name: 'bad{name}', config: fuzz }, 400],
      ['PUT', '/api/groups/fuzz', { config: fuzz, expectedVersion: 99 }, 409],
      ['PUT', '/api/groups/fuzz', { config: { ...fuzz, new_secret: `${MASK}zzzz` } }, 400],
      ['PUT', '/api/groups/fuzz', `{"config": {"apikey": "${SECRETS.stripe}"`, 400],
      [
        'POST',
        '/api/import',
        [{ group_name: 'x', config_dict: 'not-a-dict', p: SECRETS.jwt }],
        400,
      ],
      ['POST', '/api/groups/fuzz/rollback', { version: SECRETS.google }, 400],
    ];
    for (const [method, path, body, status] of refusals) {
      const answer = await call('writer', method, path, body);
      expect([method, path, answer.status]).toEqual([method, path, status]);
      noSecretIn(answer.text);
    }
    const preview = await call('writer', 'POST', '/api/import?dryRun=true', [
      { group_name: 'imported', group_version: 0, config_dict: { apikey: SECRETS.pem } },
    ]);
    expect(preview.status).toBe(200);
    const imported = await call('writer', 'POST', '/api/import', [
      { group_name: 'imported', group_version: 0, config_dict: { apikey: SECRETS.pem } },
    ]);
    expect(imported.body).toMatchObject({ applied: true, created: ['imported'] });
    noSecretIn(imported.text);
    // Another reveal, of the fuzzed group, for the audit log.
    const revealed = await call('admin', 'GET', '/api/groups/fuzz?reveal=true');
    expect(revealed.body.config).toEqual(fuzz);
  });

  it('lists create, publish, reveal and refused requests by actor in the audit log, without values', async () => {
    await waitFor('the last reveal in the audit log', async () =>
      (await audit()).some((entry) => entry.action === 'revealed' && entry.group === 'fuzz'),
    );
    const entries = await audit();
    const summary = entries.map((entry) => `${entry.action} ${entry.actor} ${entry.group}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        'created proc-writer payments',
        'published proc-writer payments',
        'revealed proc-admin payments',
        'refused proc-reader payments',
        'refused proc-writer payments',
        'refused null null',
        'imported proc-writer null',
      ]),
    );
    const changed = entries.find(
      (entry) =>
        entry.action === 'published' && entry.group === 'payments' && entry.toVersion === 2,
    );
    expect(changed).toMatchObject({ fromVersion: 1, keys: ['db_password'], role: 'writer' });
    // Newest first.
    expect(summary.indexOf('revealed proc-admin fuzz')).toBeLessThan(
      summary.indexOf('created proc-writer payments'),
    );

    const byActor = await audit('&actor=proc-reader');
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((entry) => entry.actor === 'proc-reader')).toBe(true);
    const reveals = await audit('&action=revealed&group=payments');
    expect(reveals.length).toBeGreaterThan(0);
    expect(
      reveals.every((entry) => entry.action === 'revealed' && entry.actor === 'proc-admin'),
    ).toBe(true);
    const lines = await call('admin', 'GET', '/api/audit?limit=1000&format=jsonl');
    expect(lines.text.trimEnd().split('\n')).toHaveLength(entries.length);

    const everything = JSON.stringify(entries) + lines.text;
    noSecretIn(everything);
    for (const value of Object.values(TOKENS)) expect(everything).not.toContain(value);
    // In Redis, the stream holds no value either.
    noSecretIn(JSON.stringify(await raw.xrange(`{${namespace}}:audit`, '-', '+')));
  });

  it('printed none of the secret values (nor a token) on stdout or stderr, up to its exit', async () => {
    await admin.stop();
    const printed = admin.output;
    expect(printed).toContain('"/api/groups/payments"'); // the access log was on
    noSecretIn(printed);
    // Also none of the JSON-escaped forms (a logger writes "\n" and "\"" escaped).
    for (const secret of ALL_SECRETS)
      expect(printed).not.toContain(JSON.stringify(secret).slice(1, -1));
    for (const value of Object.values(TOKENS)) expect(printed).not.toContain(value);
  });
});
