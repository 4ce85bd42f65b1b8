import { INestApplicationContext } from '@nestjs/common';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { startNode, startPublisher } from '../helpers/config-node';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { runCli } from './run-cli';
import { childEnv, PROJECT_ROOT } from '../blackbox/built-app';

// The old project's export file (a committed copy of the shared fixture: same JSON).
const FIXTURE = join(__dirname, '../fixtures/old-console-export.json');
const fixture = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>[];

describe('rcc CLI (the built dist/apps/cli/main.js, as a child process, on real Redis servers)', () => {
  let source: RedisServer;
  let target: RedisServer;
  let dir: string;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    [source, target] = await Promise.all([RedisServer.start(), RedisServer.start()]);
    dir = mkdtempSync(join(tmpdir(), 'rcc-cli-'));
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await Promise.all([source?.dispose(), target?.dispose()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A store on `server` under a fresh namespace, and the CLI's env pointing at the same place. */
  async function storeOn(
    server: RedisServer,
  ): Promise<{ store: ConfigGroupStore; env: Record<string, string>; namespace: string }> {
    const namespace = uniqueNamespace('cli');
    const publisher = await startPublisher({ redis: { url: server.url }, namespace });
    apps.push(publisher.app);
    return {
      store: publisher.store,
      env: { REDIS_URL: server.url, RCC_NAMESPACE: namespace },
      namespace,
    };
  }

  it('export --out writes exactly what the store exports; without --out, to stdout', async () => {
    const { store, env } = await storeOn(source);
    await store.publish('zeta', { apikey: 'k-z', nested: { list: [1, 'two', null], empty: [] } });
    await store.publish('alpha', { clé: 'välue ✓' });
    await store.publish('alpha', { clé: 'välue 2' });
    const out = join(dir, 'export.json');

    const toFile = await runCli(['export', '--out', out], { env });
    expect(toFile.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(await store.export());
    expect(toFile.stderr).toContain('Exported 2 group(s)');

    const toStdout = await runCli(['export', '--quiet'], { env });
    expect(toStdout.code).toBe(0);
    expect(JSON.parse(toStdout.stdout)).toEqual(await store.export());
  });

  it('imports the old console export as is: --dry-run writes nothing, then it writes', async () => {
    const { store, env } = await storeOn(source);

    const dry = await runCli(['import', FIXTURE, '--dry-run'], { env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      'would create 6, update 0, leave 0 unchanged. Nothing was written.',
    );
    expect(dry.stderr).toMatch(/rcc: planning 6 group\(s\)/);
    expect(await store.export()).toEqual([]);

    const real = await runCli(['import', FIXTURE, '--json'], { env });
    expect(real.code).toBe(0);
    const result = JSON.parse(real.stdout) as { applied: boolean; created: string[] };
    expect(result.applied).toBe(true);
    expect(result.created).toEqual([
      'default',
      'empty',
      'group_1',
      'group_2',
      'group_3',
      'group_4',
    ]);
    // Stored as in the file, with `"config_dict": null` read as {}.
    const expected = fixture().map((entry) => ({ ...entry, config_dict: entry.config_dict ?? {} }));
    expect(await store.export()).toEqual(expected);
    expect((await store.history('group_2'))[0].author).toMatch(/^rcc-cli/);

    const again = await runCli(['import', FIXTURE], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('created 0, updated 0, unchanged 6.');
  });

  it('refuses a bad file whole with every problem listed, writing nothing (exit 2)', async () => {
    const { store, env } = await storeOn(source);
    await store.publish('keep', { a: 1 });
    const before = await store.export();
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify([
        { group_name: 'fine', group_version: 0, config_dict: { a: 2 } },
        { group_name: 'keep', group_version: 0, config_dict: { a: 3 } },
        { group_name: ' spaced', group_version: -1, config_dict: [1] },
        'not an object',
      ]),
    );

    const run = await runCli(['import', bad], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('rcc: error: the input is invalid; nothing was written');
    expect(run.stderr).toContain('[2].group_name: must not start or end with white space');
    expect(run.stderr).toContain('[2].group_version: must be an integer ≥ 0');
    expect(run.stderr).toContain('[2].config_dict: must be a JSON object or null');
    expect(run.stderr).toContain('[3]: must be an object');
    expect(await store.export()).toEqual(before);

    writeFileSync(bad, '[{"group_name": "x",');
    const notJson = await runCli(['import', bad], { env });
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/is not valid JSON/);

    const missing = await runCli(['import', join(dir, 'nope.json')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    expect(await store.export()).toEqual(before);
  });

  it('reads the file from stdin with "-"', async () => {
    const { store, env } = await storeOn(source);
    const input = JSON.stringify([
      { group_name: 'piped', group_version: 3, config_dict: { k: 'v' } },
    ]);
    const run = await runCli(['import', '-', '--quiet'], { env, input });
    expect(run.code).toBe(0);
    expect(await store.get('piped')).toMatchObject({ version: 3, config: { k: 'v' } });
  });

  it("pipes cleanly as documented (npm run -s rcc -- export > file), and names npm's banner in a file", async () => {
    const { store, env } = await storeOn(source);
    await store.publish('piped-out', { k: 'v' });
    const npm = spawnSync('npm', ['run', '-s', 'rcc', '--', 'export'], {
      cwd: PROJECT_ROOT,
      env: childEnv(env),
      encoding: 'utf8',
    });
    expect(npm.status).toBe(0);
    const file = join(dir, 'piped.json');
    writeFileSync(file, npm.stdout);
    expect(JSON.parse(npm.stdout)).toEqual(await store.export());
    expect((await runCli(['import', file, '--dry-run', '--quiet'], { env })).code).toBe(0);

    // Without -s, npm writes its banner first: the import says so, and how to export cleanly.
    const bannered = join(dir, 'bannered.json');
    writeFileSync(
      bannered,
      `\n> redis-config-center@0.1.0 rcc\n> node dist/apps/cli/main.js export\n\n${npm.stdout}`,
    );
    const refused = await runCli(['import', bannered], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('npm run -s rcc -- export > file');
  });

  it('migrate copies every group between two redis-server processes; --dry-run copies nothing', async () => {
    const from = await storeOn(source);
    const to = await storeOn(target);
    await from.store.import(fixture());
    await from.store.publish('group_1', { youtube_apikey: 'AIza-rotated', qps_limit: 11 });
    // The target already runs a node on a group that the migration updates.
    await to.store.publish('group_1', { youtube_apikey: 'AIza-old' });
    await to.store.publish('target-only', { x: 1 });
    const node = await startNode({
      redis: { url: target.url },
      namespace: to.namespace,
      nodeId: 'target-node',
      group: 'group_1',
      refreshMs: 60_000, // only the migration's notification can reach it in time
      leaseMs: 180_000, // (the periodic check rides on the heartbeat, every lease / 3)
    });
    apps.push(node.app);
    const args = [
      'migrate',
      '--from',
      source.url,
      '--to',
      target.url,
      '--namespace',
      from.namespace,
    ];
    const toArgs = ['--to-namespace', to.namespace];
    const targetBefore = await to.store.export();

    const dry = await runCli([...args, ...toArgs, '--dry-run'], {});
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      'would create 5, update 1, leave 0 unchanged. Nothing was written.',
    );
    expect(await to.store.export()).toEqual(targetBefore);

    const real = await runCli([...args, ...toArgs, '--json'], {});
    expect(real.code).toBe(0);
    const result = JSON.parse(real.stdout) as { created: string[]; updated: string[] };
    expect(result.updated).toEqual(['group_1']);
    expect(result.created).toHaveLength(5);

    const copied = await to.store.export();
    const sourceGroups = await from.store.export();
    for (const entry of sourceGroups) {
      const there = copied.find((c) => c.group_name === entry.group_name);
      expect(there?.config_dict).toEqual(entry.config_dict);
    }
    expect(copied.map((c) => c.group_name)).toContain('target-only');
    // History and notification on the target, as for any write through the store.
    const history = await to.store.history('group_1');
    expect(history.map((h) => h.config)).toEqual([
      { youtube_apikey: 'AIza-rotated', qps_limit: 11 },
      { youtube_apikey: 'AIza-old' },
    ]);
    expect(history[0].comment).toContain('migrated from 127.0.0.1');
    await waitFor(
      'the target node to follow',
      () => node.config.get('youtube_apikey') === 'AIza-rotated',
      2000,
    );
  });

  it('reads REDIS_URL & co from a .env file in its working directory; a flag or the env wins', async () => {
    const { store, namespace } = await storeOn(source);
    await store.publish('from-env-file', { x: 1 });
    const folder = mkdtempSync(join(dir, 'env-file-'));
    writeFileSync(
      join(folder, '.env'),
      `REDIS_URL=${source.url}\nRCC_NAMESPACE=${namespace}\nRCC_STARTUP_TIMEOUT_MS=2500\n`,
    );
    const fromFile = await runCli(['export', '--quiet'], { cwd: folder });
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toEqual([
      expect.objectContaining({ group_name: 'from-env-file' }),
    ]);
    // --namespace, then the real environment, win over the file: an empty namespace there.
    const other = uniqueNamespace('cli-empty');
    const byFlag = await runCli(['export', '--quiet', '--namespace', other], { cwd: folder });
    expect(JSON.parse(byFlag.stdout)).toEqual([]);
    const byEnv = await runCli(['export', '--quiet'], {
      cwd: folder,
      env: { RCC_NAMESPACE: other },
    });
    expect(JSON.parse(byEnv.stdout)).toEqual([]);
  });

  it('refuses a bad variable of its .env file naming it (exit 2)', async () => {
    const folder = mkdtempSync(join(dir, 'bad-env-file-'));
    writeFileSync(join(folder, '.env'), 'RCC_STARTUP_TIMEOUT_MS=soon\n');
    const run = await runCli(['export'], { cwd: folder });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'rcc: error: RCC_STARTUP_TIMEOUT_MS must be an integer ≥ 1, got "soon"\n',
    );
  });

  it('fails within a few seconds, saying so, when Redis is unreachable (exit 1)', async () => {
    const port = await freePort();
    const run = await runCli(['export'], { env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`rcc: error: cannot reach Redis at 127.0.0.1:${port} db 0`);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stdout).toBe('');
    // The default wait is 3 s; a hang would run into jest's timeout instead.
    expect(run.elapsedMs).toBeLessThan(10_000);
  });

  it('answers --help everywhere, and exits 2 on a usage error', async () => {
    for (const args of [
      ['--help'],
      ['export', '--help'],
      ['import', '--help'],
      ['migrate', '--help'],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: rcc');
    }
    const usage = await runCli(['migrate', '--from', 'redis://127.0.0.1:1']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("required option '--to <redis-url>' not specified");
  });
});
