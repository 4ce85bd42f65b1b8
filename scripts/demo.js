#!/usr/bin/env node
/**
 * The one-command demo (`npm start`): Redis (yours, or an embedded redis-server keeping its data
 * in .rcc-data/ with AOF), demo groups on the first run, the admin service and three example nodes,
 * each child's output prefixed with its name. Ctrl-C stops the apps cleanly, then Redis.
 * Plain Node, no dependencies: it only needs `npm ci` (and it builds when dist/ is missing or stale).
 *
 * No way of stopping it leaves a process behind: SIGINT, SIGTERM and SIGHUP (a closed terminal)
 * stop everything in order; so does the death of its parent (`kill` of `npm start`); and when this
 * script itself is killed outright, its reaper (scripts/demo-reaper.js) stops what it started.
 * `DEMO_REDIS_PORT` and `DEMO_DATA_DIR` (tests) choose the embedded Redis's port and folder.
 */
/* global fetch, AbortSignal -- Node 20 built-ins */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');

const ROOT = path.resolve(__dirname, '..');
const DATA_DIR = process.env.DEMO_DATA_DIR
  ? path.resolve(process.env.DEMO_DATA_DIR)
  : path.join(ROOT, '.rcc-data');
const BUILD_STAMP = path.join(ROOT, 'dist', '.demo-build-stamp');
const ENTRIES = ['admin', 'example', 'cli'].map((app) =>
  path.join(ROOT, 'dist/apps', app, 'main.js'),
);
// The example nodes load the library as a package, from its own build output.
const LIBRARY_ENTRY = path.join(ROOT, 'libs/redis-config/dist/index.js');
const STOP_TIMEOUT_MS = 10_000;
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

const DEMO_POOL = 'apikey-*';
/** Settings every example node shares, layered under its own group (RCC_SHARED_GROUPS). */
const DEMO_SHARED = 'common';
const DEMO_GROUPS = [
  ...[1, 2, 3, 4].map((n) => ({
    group_name: `apikey-${n}`,
    group_version: 0,
    config_dict: { apikey: `demo-key-${n}-${randomBytes(4).toString('hex')}`, qps_limit: 10 * n },
  })),
  {
    group_name: DEMO_SHARED,
    group_version: 0,
    config_dict: { timeout_ms: 3000, retries: 2, qps_limit: 1 },
  },
  {
    group_name: 'default',
    group_version: 0,
    config_dict: { apikey: 'demo-default-key', qps_limit: 5, features: { search: true } },
  },
];

const children = []; // { name, child, exited: Promise }
let stopping = false;
/** The reaper's pipe: every process group started is written to it (see demo-reaper.js). */
let reaper = null;

// A closed terminal (SIGHUP) makes writes fail: the clean-up must go on regardless.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

function say(message) {
  process.stdout.write(`${paint('1;36', '[demo]')} ${message}\n`);
}

/** The reaper, in its own process group: it outlives this script to clean up after a SIGKILL. */
function startReaper() {
  const child = spawn(process.execPath, [path.join(__dirname, 'demo-reaper.js')], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  child.stdin.on('error', () => undefined);
  child.unref();
  reaper = child.stdin;
}

function fail(message) {
  process.stderr.write(`${paint('1;31', '[demo]')} ${message}\n`);
  return shutdown(1);
}

function port(name, fallback) {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > 65533) {
    throw new Error(`${name} must be a port number, got "${raw}"`);
  }
  return value;
}

/** Newest modification time under a folder (sources of the build). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

/** Builds when an app is missing or a source is newer than the last build. */
async function ensureBuild() {
  const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
  const outputs = [...ENTRIES, LIBRARY_ENTRY];
  const builtAt = Math.max(mtime(BUILD_STAMP), Math.min(...outputs.map(mtime)));
  const missing = outputs.some((file) => !fs.existsSync(file));
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'apps')),
    newestMtime(path.join(ROOT, 'libs')),
  );
  if (!missing && builtAt >= sources) return;
  say(
    missing ? 'dist/ is missing: running npm run build' : 'sources changed: running npm run build',
  );
  const code = await new Promise((resolve) => {
    const build = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    build.on('error', () => resolve(1));
    build.on('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) throw new Error(`npm run build failed (exit code ${code})`);
  fs.writeFileSync(BUILD_STAMP, new Date().toISOString());
}

/** What answers on a port: 'pong' (a Redis), 'auth' (a Redis wanting a password), 'refused', 'other'. */
function probeRedis(redisPort, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: redisPort });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done('other'));
    socket.on('error', (error) => done(error.code === 'ECONNREFUSED' ? 'refused' : 'other'));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      const reply = data.toString();
      done(reply.startsWith('+PONG') ? 'pong' : /NOAUTH|WRONGPASS/.test(reply) ? 'auth' : 'other');
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => server.close(() => resolve(server.address().port)));
  });
}

function assertPortFree(portNumber, variable) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', () =>
      reject(new Error(`port ${portNumber} is in use: stop what uses it, or set ${variable}`)),
    );
    server.listen(portNumber, () => server.close(resolve));
  });
}

/** Starts a child in its own process group (Ctrl-C reaches only us: we stop children in order). */
function startChild(name, command, args, env) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const tag = paint('35', `[${name}]`.padEnd(9));
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(`${tag} ${line}\n`);
    });
  }
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const entry = { name, child, exited };
  children.push(entry);
  if (child.pid) reaper?.write(`${name === 'redis' ? 'redis' : 'app'} ${child.pid}\n`);
  child.once('error', (error) => void fail(`${name} could not start: ${error.message}`));
  void exited.then((how) => {
    if (!stopping) void fail(`${name} exited unexpectedly (${how}); stopping the demo`);
  });
  return entry;
}

/** Runs the built CLI and returns its stdout (stderr is shown). */
function rcc(args, env, input) {
  const result = spawnSync(process.execPath, [ENTRIES[2], '--quiet', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`rcc ${args[0]} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

async function waitForHttp(name, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return response.json();
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs / 1000} s`);
}

/** REDIS_URL when set; else a Redis on localhost:6379; else an embedded redis-server. */
async function redisUrl() {
  if (process.env.REDIS_URL) {
    say('using REDIS_URL from the environment');
    return process.env.REDIS_URL;
  }
  // DEMO_REDIS_PORT: an embedded Redis on that port, whatever answers on 6379 (tests).
  const found = process.env.DEMO_REDIS_PORT ? 'skipped' : await probeRedis(6379);
  if (found === 'pong') {
    say('a Redis answers on localhost:6379: using it');
    return 'redis://127.0.0.1:6379';
  }
  if (found === 'auth') {
    throw new Error(
      'the Redis on localhost:6379 wants a password: set REDIS_URL=redis://:PASSWORD@localhost:6379',
    );
  }
  const installed = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (installed.error) {
    throw new Error(
      'redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install redis-server; ' +
        'macOS: brew install redis), or point REDIS_URL at a Redis you have.',
    );
  }
  const redisPort = process.env.DEMO_REDIS_PORT
    ? port('DEMO_REDIS_PORT', 6379)
    : found === 'refused'
      ? 6379
      : await freePort();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  // AOF so that groups survive a restart of the demo; no RDB snapshots beside it.
  startChild('redis', 'redis-server', [
    '--port',
    String(redisPort),
    '--bind',
    '127.0.0.1',
    '--dir',
    DATA_DIR,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
  ]);
  const deadline = Date.now() + 10_000;
  while ((await probeRedis(redisPort)) !== 'pong') {
    if (Date.now() > deadline)
      throw new Error('the embedded redis-server did not answer within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  say(
    `embedded redis-server on port ${redisPort}, data in ${path.relative(ROOT, DATA_DIR)}/ (AOF)`,
  );
  return `redis://127.0.0.1:${redisPort}`;
}

async function main() {
  const adminPort = port('ADMIN_PORT', 8079);
  const firstNodePort = port('PORT', 8089);
  const nodes = [
    { id: 'demo-node-1', group: 'any-apikey' },
    { id: 'demo-node-2', group: 'any-apikey' },
    { id: 'demo-node-3', group: 'default' },
  ].map((node, index) => ({ ...node, port: firstNodePort + index }));
  for (const p of [adminPort, ...nodes.map((node) => node.port)]) {
    await assertPortFree(p, p === adminPort ? 'ADMIN_PORT' : 'PORT (first node port)');
  }
  await ensureBuild();
  const url = await redisUrl();
  // The console's header shows this label (a red badge for PRODUCTION, the default).
  const env = {
    REDIS_URL: url,
    REDIS_CONFIG_CENTER_TYPE: process.env.REDIS_CONFIG_CENTER_TYPE || 'DEMO',
  };

  const existing = JSON.parse(rcc(['export'], env));
  if (existing.length === 0) {
    rcc(['import', '-', '--comment', 'demo seed'], env, JSON.stringify(DEMO_GROUPS));
    say(`seeded ${DEMO_GROUPS.map((g) => g.group_name).join(', ')}`);
  } else {
    say(`Redis holds ${existing.length} group(s) already: not seeding`);
  }

  const token = process.env.ADMIN_TOKEN || randomBytes(32).toString('base64url');
  startChild('admin', process.execPath, [ENTRIES[0]], {
    ...env,
    ADMIN_PORT: String(adminPort),
    ADMIN_TOKEN: token,
    LOG_FORMAT: process.env.LOG_FORMAT || 'text',
  });
  for (const node of nodes) {
    startChild(node.id.replace('demo-', ''), process.execPath, [ENTRIES[1]], {
      ...env,
      PORT: String(node.port),
      RCC_NODE_ID: node.id,
      DEFAULT_CONFIG_GROUP: node.group,
      RCC_POOL: DEMO_POOL,
      // GET /config-service/<key>: the group read through @nestjs/config's ConfigService.
      RCC_CONFIG_SERVICE_NAMESPACE: 'rcc',
      RCC_METRICS: process.env.RCC_METRICS || 'true', // GET /metrics shows the rcc_node_* series
      RCC_SHARED_GROUPS: DEMO_SHARED,
    });
  }
  await waitForHttp('the admin service', `http://localhost:${adminPort}/health`);
  const views = [];
  for (const node of nodes) {
    views.push(await waitForHttp(node.id, `http://localhost:${node.port}/config`));
  }

  const lines = [
    '',
    paint('1;32', 'Redis Config Center demo is running.'),
    `  Console   http://localhost:${adminPort}/?token=${token}`,
    `  API docs  http://localhost:${adminPort}/api/docs   (Authorization: Bearer ${token})`,
    ...nodes.map((node, index) => {
      const view = views[index];
      const holds = view.group
        ? `holds ${view.group} v${view.version}${view.pinned ? ' (pinned)' : ''}`
        : 'holds no group yet';
      const shared = (view.shared ?? []).map((g) => `${g.name} v${g.version ?? '-'}`).join(', ');
      const layered = shared ? `, shared: ${shared}` : '';
      return `  Node      http://localhost:${node.port}/config   ${node.id} asks for "${node.group}", ${holds}${layered}`;
    }),
    `  ConfigService  http://localhost:${nodes[0].port}/config-service/<key>   (RCC_CONFIG_SERVICE_NAMESPACE=rcc)`,
    `  Metrics   http://localhost:${adminPort}/metrics  and  http://localhost:${nodes[0].port}/metrics`,
    `  CLI       REDIS_URL=${url} npm run -s rcc -- export > groups.json`,
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function stopChild({ name, child, exited }) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    say(`${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s: killing it`);
    child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** The apps first (nodes give up their places), Redis last. Repeated signals are ignored. */
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  await Promise.all(children.filter((c) => c.name !== 'redis').map(stopChild));
  await Promise.all(children.filter((c) => c.name === 'redis').map(stopChild));
  reaper?.end('done\n');
  say('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));
// `kill` of `npm start` may not reach this script: its parent's death does (it is re-parented).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown(0);
}, 500).unref();
// Last resort (a crash of this script): no child may outlive it.
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
});

startReaper();
main().catch((error) => void fail(error.message));
