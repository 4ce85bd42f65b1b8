import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PROJECT_ROOT = resolve(__dirname, '../..');
export const PACKAGES_DIR = join(PROJECT_ROOT, 'dist/packages');
const FIXTURES = join(__dirname, 'fixtures');

/** The tarballs `npm run pack` wrote (npm test packs in pretest); fails saying what to run. */
export function tarballs(): { library: string; admin: string } {
  const files = existsSync(PACKAGES_DIR) ? readdirSync(PACKAGES_DIR) : [];
  const find = (prefix: string) => {
    const file = files.find((name) => name.startsWith(prefix) && name.endsWith('.tgz'));
    if (!file) throw new Error(`${PACKAGES_DIR}/${prefix}*.tgz is missing: run npm run pack`);
    return join(PACKAGES_DIR, file);
  };
  return { library: find('rcc-redis-config-'), admin: find('rcc-admin-') };
}

/**
 * The environment of npm and node inside a consumer project: this repository's npm settings
 * (`npm_config_*`, set because the suite runs under `npm test`) must not leak into the user's
 * install, and no REDIS_URL & co. of the caller either.
 */
export function consumerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.npm_config_cache ? { npm_config_cache: process.env.npm_config_cache } : {}),
    ...extra,
  };
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Runs a command in `cwd`; a failure throws with the command's own output, for the report. */
export async function runIn(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 300_000,
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      env: consumerEnv(env),
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { stdout, stderr };
  } catch (error) {
    const failure = error as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}: ${failure.message}\n` +
        `stdout:\n${failure.stdout ?? ''}\nstderr:\n${failure.stderr ?? ''}`,
    );
  }
}

export interface ConsumerSpec {
  /** Folder name, e.g. `nest11`. */
  name: string;
  /** Registry dependencies, as a user would list them. */
  dependencies: Record<string, string>;
  /** Our tarballs to install with them. */
  packages: string[];
}

/**
 * A fresh project outside the repository (under the OS temp folder) with `dependencies` from the
 * registry and our tarballs, installed as a user would: `npm install`, no overrides, no
 * `--legacy-peer-deps`. The folder is kept between runs, keyed by the registry dependencies, so a
 * run reuses the installed registry packages; our tarballs are installed afresh every time.
 */
export async function installConsumer(spec: ConsumerSpec): Promise<string> {
  // Keyed by everything the tree depends on but our tarballs' contents: a reused folder was
  // installed from the same manifest, so npm has nothing left over from another shape of tree.
  const packageNames = spec.packages.map(packageName);
  const key = createHash('sha256')
    .update(JSON.stringify([spec.dependencies, packageNames]))
    .digest('hex');
  const dir = join(tmpdir(), 'rcc-consumers', `${spec.name}-${key.slice(0, 12)}`);
  mkdirSync(dir, { recursive: true });
  const dependencies: Record<string, string> = { ...spec.dependencies };
  for (const tarball of spec.packages) dependencies[packageName(tarball)] = `file:${tarball}`;
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `rcc-consumer-${spec.name}`, private: true, dependencies }, null, 2)}\n`,
  );
  // No lock file: npm resolves from the registry (its cache, mostly) and takes the new tarballs.
  rmSync(join(dir, 'package-lock.json'), { force: true });
  rmSync(join(dir, 'node_modules', '@rcc'), { recursive: true, force: true });
  await runIn(dir, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']);
  return dir;
}

/**
 * {@link installConsumer} for each spec, two at a time (npm is mostly waiting on its cache and
 * the registry; more would crowd two cores); the folders in the order of `specs`.
 */
export async function installConsumers(specs: ConsumerSpec[]): Promise<string[]> {
  const dirs: string[] = [];
  for (let i = 0; i < specs.length; i += 2) {
    dirs.push(...(await Promise.all(specs.slice(i, i + 2).map(installConsumer))));
  }
  return dirs;
}

/** `@rcc/redis-config` from `…/rcc-redis-config-0.1.0.tgz`. */
function packageName(tarball: string): string {
  const base = tarball.split('/').pop() ?? '';
  if (base.startsWith('rcc-redis-config-')) return '@rcc/redis-config';
  if (base.startsWith('rcc-admin-')) return '@rcc/admin';
  throw new Error(`not one of our tarballs: ${tarball}`);
}

export type ModuleKind = 'commonjs-node10' | 'commonjs-nodenext' | 'esm-nodenext';

/**
 * Writes the consumer app (`fixtures/consumer/main.ts`) into `dir/<app>` with a strict
 * tsconfig for `kind`; `esm-nodenext` also marks the folder `"type": "module"`. The app resolves
 * its packages from the project's node_modules, one folder up.
 */
export function writeConsumerApp(project: string, app: string, kind: ModuleKind): string {
  const dir = join(project, app);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  cpSync(join(FIXTURES, 'consumer/main.ts'), join(dir, 'src/main.ts'));
  const module = kind === 'commonjs-node10' ? 'commonjs' : 'nodenext';
  const compilerOptions = {
    module,
    ...(kind === 'commonjs-node10' ? { moduleResolution: 'node10' } : {}),
    target: 'ES2022',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    // Our .d.ts files are checked too, against this Nest line's own types.
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [join(project, 'node_modules/@types')],
    rootDir: 'src',
    outDir: 'dist',
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions }, null, 2));
  const type = kind === 'esm-nodenext' ? 'module' : 'commonjs';
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type }, null, 2));
  return dir;
}

/** The version of `name` installed in the project. */
export function installedVersion(project: string, name: string): string {
  const manifest = JSON.parse(
    readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

/** Every copy of `name` in the project's node_modules tree (nested copies included). */
export function installedCopies(project: string, name: string): string[] {
  const found: string[] = [];
  const visit = (modules: string) => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@')
        ? readdirSync(join(modules, entry)).map((child) => `${entry}/${child}`)
        : [entry];
      for (const child of names) {
        const dir = join(modules, child);
        if (child === name) found.push(dir);
        visit(join(dir, 'node_modules'));
      }
    }
  };
  visit(join(project, 'node_modules'));
  return found;
}
