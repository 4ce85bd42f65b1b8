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

const ROOT = join(__dirname, '..', '..');

/**
 * The folder of the library of `commit`, built from git history into `node_modules/.cache` (so
 * that it resolves the same `@nestjs/*`, `ioredis` and `rxjs`), once per commit: a bench compares
 * this checkout with an earlier commit in one run. Needs the commit in the clone's history (a
 * shallow clone must fetch it first).
 */
export function libraryBuiltAt(commit: string): string {
  const out = join(ROOT, 'node_modules', '.cache', `rcc-at-${commit}`);
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
