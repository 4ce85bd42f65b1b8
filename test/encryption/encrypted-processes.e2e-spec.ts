import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { AppProcess, builtEntry, ExampleConfigView } from '../blackbox/built-app';
import { runCli } from '../cli/run-cli';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { newEncryptionKey } from './encryption-keys';

const GROUP = 'orders';
const SECRET = 'sk-live-ENCRYPTED-AT-REST-4242';
const WRITER = 'enc-writer-token-0123456789';
const ADMIN = 'enc-admin-token-0123456789';

/**
 * DESIGN §14, encryption at rest, with the built apps: an admin and a node holding
 * RCC_ENCRYPTION_KEY, and a node without it. The hash and the history hold no clear secret, the
 * keyed node serves the clear value (and keeps it encrypted in its snapshot), the admin masks and
 * reveals as before, and the node without the key keeps its last good config and says why.
 */
describe('encryption at rest: built admin and nodes', () => {
  const { key, id } = newEncryptionKey();
  const snapshotDir = mkdtempSync(join(tmpdir(), 'rcc-enc-snapshot-'));
  const snapshotPath = join(snapshotDir, 'orders.json');
  let redis: RedisServer;
  let client: Redis;
  let namespace: string;
  let admin: AppProcess;
  let keyed: AppProcess;
  let keyless: AppProcess;
  let adminUrl: string;
  let keyedUrl: string;
  let keylessUrl: string;

  beforeAll(async () => {
    builtEntry('admin');
    builtEntry('example');
    builtEntry('cli');
    redis = await RedisServer.start();
    client = redis.client();
    namespace = uniqueNamespace('encryption');
    const [adminPort, keyedPort, keylessPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    adminUrl = `http://127.0.0.1:${adminPort}`;
    keyedUrl = `http://127.0.0.1:${keyedPort}`;
    keylessUrl = `http://127.0.0.1:${keylessPort}`;
    const common = { REDIS_URL: redis.url, RCC_NAMESPACE: namespace };
    admin = AppProcess.start('admin', {
      ...common,
      ADMIN_PORT: String(adminPort),
      ADMIN_TOKENS: `ops:${WRITER}:writer,root:${ADMIN}:admin`,
      RCC_ENCRYPTION_KEY: key,
    });
    await admin.waitForHttp(`${adminUrl}/health`);
    // Version 0 holds no secret: both nodes can load it.
    expect(
      (await send('POST', '/api/groups', { name: GROUP, config: { timeout: 5 } })).status,
    ).toBe(201);
    const node = { ...common, DEFAULT_CONFIG_GROUP: GROUP, RCC_REFRESH_MS: '60000' };
    keyed = AppProcess.start(
      'example',
      {
        ...node,
        PORT: String(keyedPort),
        RCC_NODE_ID: 'keyed',
        RCC_ENCRYPTION_KEY: key,
        RCC_SNAPSHOT_PATH: snapshotPath,
      },
      'keyed node',
    );
    keyless = AppProcess.start(
      'example',
      { ...node, PORT: String(keylessPort), RCC_NODE_ID: 'keyless', RCC_METRICS: 'true' },
      'keyless node',
    );
    await Promise.all([
      keyed.waitForHttp(`${keyedUrl}/config`),
      keyless.waitForHttp(`${keylessUrl}/config`),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([keyed?.stop(), keyless?.stop(), admin?.stop()]);
    client?.disconnect();
    await redis?.dispose();
    rmSync(snapshotDir, { recursive: true, force: true });
  });

  function send(method: string, path: string, body?: unknown, token = WRITER): Promise<Response> {
    return fetch(`${adminUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function json<T>(path: string, token = WRITER): Promise<T> {
    const response = await send('GET', path, undefined, token);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  async function view(url: string): Promise<ExampleConfigView> {
    return (await (await fetch(`${url}/config`)).json()) as ExampleConfigView;
  }

  const atVersion = (url: string, version: number) => async () => {
    const current = await view(url);
    return current.version === version ? current : null;
  };

  it('stores the secret encrypted; the keyed node serves it in clear', async () => {
    const put = await send('PUT', `/api/groups/${GROUP}`, {
      config: { timeout: 5, api_key: SECRET, region: 'eu' },
    });
    expect(put.status).toBe(200);
    const stored = (await client.hget(namespace, GROUP))!;
    expect(stored).not.toContain(SECRET);
    const record = JSON.parse(stored) as {
      group_version: number;
      config_dict: Record<string, unknown>;
    };
    expect(record.group_version).toBe(1);
    expect(record.config_dict.region).toBe('eu');
    expect(record.config_dict.api_key).toMatch(new RegExp(`^rcc:enc:v1:${id}:[A-Za-z0-9+/=]+$`));
    const history = await client.lrange(`{${namespace}}:history:${GROUP}`, 0, -1);
    expect(history.length).toBeGreaterThanOrEqual(2);
    for (const entry of history) expect(entry).not.toContain(SECRET);

    const served = (await waitFor('the keyed node at version 1', atVersion(keyedUrl, 1), 15_000))!;
    expect(served.config).toEqual({ timeout: 5, api_key: SECRET, region: 'eu' });
  });

  it('the node without the key keeps version 0 and says why, as a rejection', async () => {
    await waitFor(
      'the keyless node to refuse version 1',
      () => keyless.log.includes(`Config group "${GROUP}" version 1 refused`),
      15_000,
    );
    const line = keyless.log.split('\n').find((l) => l.includes('version 1 refused'))!;
    expect(line).toContain('"api_key"');
    expect(line).toContain(`key id "${id}"`);
    expect(line).toContain('RCC_ENCRYPTION_KEY is not set');
    expect(keyless.log).not.toContain(SECRET);
    expect(await view(keylessUrl)).toMatchObject({ version: 0, config: { timeout: 5 } });
    const metrics = await (await fetch(`${keylessUrl}/metrics`)).text();
    expect(metrics).toMatch(/^rcc_node_rejections_total 1$/m);
  });

  it('masks for a writer, reveals for an admin (group, history, export), in clear from memory', async () => {
    const masked = await json<{ config: Record<string, unknown> }>(`/api/groups/${GROUP}`);
    expect(masked.config.api_key).toBe(`••••${SECRET.slice(-4)}`);
    const revealed = await json<{ config: Record<string, unknown> }>(
      `/api/groups/${GROUP}?reveal=true`,
      ADMIN,
    );
    expect(revealed.config).toEqual({ timeout: 5, api_key: SECRET, region: 'eu' });
    const history = await json<{ version: number; config: Record<string, unknown> }[]>(
      `/api/groups/${GROUP}/history?reveal=true`,
      ADMIN,
    );
    expect(history.find((entry) => entry.version === 1)?.config.api_key).toBe(SECRET);
    const exported = JSON.stringify(await json<unknown>('/api/export'));
    expect(exported).not.toContain(SECRET);
    expect(exported).not.toContain('rcc:enc:');
    expect(JSON.stringify(await json<unknown>('/api/export?reveal=true', ADMIN))).toContain(SECRET);
  });

  it('a masked value saved unchanged keeps the secret (encrypted anew)', async () => {
    const before = JSON.parse((await client.hget(namespace, GROUP))!) as {
      config_dict: { api_key: string };
    };
    const put = await send('PUT', `/api/groups/${GROUP}`, {
      config: { timeout: 6, api_key: `••••${SECRET.slice(-4)}`, region: 'eu' },
    });
    expect(put.status).toBe(200);
    const after = JSON.parse((await client.hget(namespace, GROUP))!) as {
      config_dict: { api_key: string };
    };
    expect(after.config_dict.api_key).toMatch(/^rcc:enc:v1:/);
    expect(after.config_dict.api_key).not.toBe(before.config_dict.api_key); // a fresh IV
    const served = (await waitFor('the keyed node at version 2', atVersion(keyedUrl, 2), 15_000))!;
    expect(served.config).toEqual({ timeout: 6, api_key: SECRET, region: 'eu' });
  });

  it('rolls back to an encrypted version: decrypted in memory, encrypted again', async () => {
    const rollback = await send('POST', `/api/groups/${GROUP}/rollback`, { version: 1 });
    expect(rollback.status).toBe(200);
    expect(await client.hget(namespace, GROUP)).not.toContain(SECRET);
    const served = (await waitFor('the keyed node at version 3', atVersion(keyedUrl, 3), 15_000))!;
    expect(served.config).toEqual({ timeout: 5, api_key: SECRET, region: 'eu' });
  });

  it('an import (admin REST, and the built rcc) stores secrets encrypted; an unchanged one writes nothing', async () => {
    const file = [
      { group_name: 'imported', group_version: 0, config_dict: { db_password: 'pw-IMPORTED-1' } },
    ];
    const imported = await send('POST', '/api/import', file);
    expect(imported.status).toBe(200);
    expect(await client.hget(namespace, 'imported')).not.toContain('pw-IMPORTED-1');
    // Same clear values: unchanged, although each encryption differs.
    const again = (await (await send('POST', '/api/import', file)).json()) as {
      unchanged: string[];
    };
    expect(again.unchanged).toEqual(['imported']);

    const cli = await runCli(['import', '-'], {
      env: { REDIS_URL: redis.url, RCC_NAMESPACE: namespace, RCC_ENCRYPTION_KEY: key },
      input: JSON.stringify([
        { group_name: 'from-cli', group_version: 0, config_dict: { api_key: 'sk-FROM-CLI-99' } },
      ]),
    });
    expect(cli.code).toBe(0);
    const stored = (await client.hget(namespace, 'from-cli'))!;
    expect(stored).not.toContain('sk-FROM-CLI-99');
    expect(stored).toContain(`rcc:enc:v1:${id}:`);
    const revealed = await json<{ config: Record<string, unknown> }>(
      '/api/groups/from-cli?reveal=true',
      ADMIN,
    );
    expect(revealed.config.api_key).toBe('sk-FROM-CLI-99');
  });

  it('the keyed node keeps the secret encrypted in its snapshot', async () => {
    const snapshot = await waitFor('the snapshot of version 3', () => {
      const text = readFileSync(snapshotPath, 'utf8');
      return text.includes('"group_version":3') ? text : null;
    });
    expect(snapshot).not.toContain(SECRET);
    expect(snapshot).toMatch(new RegExp(`"api_key":"rcc:enc:v1:${id}:`));
  });

  it('no secret value and no key in any log', () => {
    for (const app of [admin, keyed, keyless]) {
      expect(app.log).not.toContain(SECRET);
      expect(app.log).not.toContain(key);
    }
  });
});
