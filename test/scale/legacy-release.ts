import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';
import type * as CurrentRoot from '@rcc/redis-config';
import type * as CurrentPublisher from '@rcc/redis-config/publisher';

/** The legacy release had one entry point: today's root and `/publisher` together. */
type Library = typeof CurrentRoot & typeof CurrentPublisher;

/** The previous release (protocol 1: one `{ns}:events` channel), as today's `main` had it. */
export const LEGACY_COMMIT = 'ed504fc';

const ROOT = join(__dirname, '..', '..');

/**
 * The library of `LEGACY_COMMIT`, built from git history into `node_modules/.cache` (so that it
 * resolves the same `@nestjs/*`, `ioredis` and `rxjs`), once per commit. Needs the commit in the
 * clone's history (a shallow CI clone must fetch it: `git fetch --depth=50 origin main`).
 */
export function legacyLibrary(): Library {
  return require(libraryBuiltAt(LEGACY_COMMIT)) as Library;
}

/**
 * The folder of the library of any `commit`, built the same way once (the previous release's
 * is `rcc-legacy-<commit>`; a bench compares with other commits too).
 */
export function libraryBuiltAt(commit: string): string {
  const label = commit === LEGACY_COMMIT ? 'legacy' : 'at';
  const out = join(ROOT, 'node_modules', '.cache', `rcc-${label}-${commit}`);
  if (!existsSync(join(out, 'index.js'))) build(out, commit);
  return out;
}

function build(out: string, commit: string): void {
  const source = `${out}-src`;
  rmSync(source, { recursive: true, force: true });
  mkdirSync(source, { recursive: true });
  let archive: Buffer;
  try {
    archive = execFileSync('git', ['archive', commit, 'libs/redis-config/src'], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new Error(
      `The library of commit ${commit} is not in this clone's history: ` +
        `fetch it first (git fetch --unshallow, or git fetch origin ${commit}). ` +
        `${(error as Error).message}`,
    );
  }
  execFileSync('tar', ['-x', '-C', source], { input: archive });
  const root = join(source, 'libs', 'redis-config', 'src');
  for (const file of walk(root)) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        esModuleInterop: true,
        isolatedModules: true,
      },
      fileName: file,
    });
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  rmSync(source, { recursive: true, force: true });
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** A node (or, with `node: false`, a publisher) of the previous release, in its own context. */
export async function startLegacyNode(options: CurrentRoot.RedisConfigModuleOptions): Promise<{
  app: INestApplicationContext;
  config: CurrentRoot.ConfigGroupService;
  store: CurrentPublisher.ConfigGroupStore;
}> {
  const legacy = legacyLibrary();
  @Module({ imports: [legacy.RedisConfigModule.forRoot(options)] })
  class LegacyNodeModule {}
  const app = await NestFactory.createApplicationContext(LegacyNodeModule, { logger: ['error'] });
  return {
    app,
    config: app.get(legacy.ConfigGroupService),
    store: app.get(legacy.ConfigGroupStore),
  };
}
