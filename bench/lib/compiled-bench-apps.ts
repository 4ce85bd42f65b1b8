import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './bench-report';

const OUT_DIR = join(REPO_ROOT, 'dist', 'bench-apps');

/** The compiled bench apps (plain JavaScript, as a user's node runs: no ts-node in the timing). */
export interface CompiledBenchApps {
  rccNode: string;
  nestConfig: string;
  /** The admin service plus a bare route, for the admin bench. */
  adminBench: string;
  /** Times the require of each package the library adds (see require-cost.probe.ts). */
  requireCostProbe: string;
}

/**
 * Compiles `bench/apps` with tsc into dist/bench-apps and links `@rcc/redis-config` there to the
 * library's package folder, so that `node <file>.js` loads what ships: `libs/redis-config/dist`,
 * the bundled entry points of `npm run build:lib` (run it first). Type checking is
 * `npm run typecheck`'s job; here only the emit matters.
 */
export function compileBenchApps(): CompiledBenchApps {
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      join(REPO_ROOT, 'bench', 'apps', 'tsconfig.json'),
      '--noCheck',
    ],
    { stdio: 'inherit' },
  );
  const library = join(REPO_ROOT, 'libs', 'redis-config');
  if (!existsSync(join(library, 'dist', 'index.js')))
    throw new Error('Run npm run build:lib first');
  const link = join(OUT_DIR, 'node_modules', '@rcc', 'redis-config');
  mkdirSync(dirname(link), { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(library, link, 'dir');
  return {
    rccNode: join(OUT_DIR, 'bench', 'apps', 'rcc-node.app.js'),
    nestConfig: join(OUT_DIR, 'bench', 'apps', 'nest-config.app.js'),
    adminBench: join(OUT_DIR, 'bench', 'apps', 'admin-bench.app.js'),
    requireCostProbe: join(OUT_DIR, 'bench', 'apps', 'require-cost.probe.js'),
  };
}
