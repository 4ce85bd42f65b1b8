// `npm run build:lib`, after tsc: ships each entry point of @rcc/redis-config as one file.
//
// A node pays for every file it requires (resolve, read, compile: ~0.5 ms each on a shared core),
// and the root entry point alone was ~80 files. tsc has compiled the library to ES modules with its
// decorator metadata (which esbuild cannot emit) in libs/redis-config/build/; esbuild bundles the
// four entry points from there with code splitting, so that what two entry points share lives once
// in a chunk: Nest's injection tokens (ConfigGroupService, …) stay one class each whichever entry
// point loads them. Each output file is then turned into CommonJS (the package is CommonJS), and the
// declarations are copied beside it. dist/ = index.js, publisher.js, testing.js, openfeature.js,
// chunks/*.js, and tsc's .d.ts tree (types are not bundled: api-extractor reads them as they are).
import { build, transform } from 'esbuild';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIB = fileURLToPath(new URL('../libs/redis-config/', import.meta.url));
const ESM = join(LIB, 'build');
const DIST = join(LIB, 'dist');
const ENTRY_POINTS = ['index', 'publisher', 'testing', 'openfeature'];

rmSync(DIST, { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries(ENTRY_POINTS.map((name) => [name, join(ESM, `${name}.js`)])),
  outdir: DIST,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Every package stays a require() of the user's own copy (peers, ioredis, Nest), except tslib:
  // tsc's decorator helpers (importHelpers) are bundled once, in a chunk, instead of being copied
  // into every module that has a decorator.
  packages: 'external',
  plugins: [bundledTslib()],
  // Nest names providers in its errors and logs after their classes.
  keepNames: true,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

for (const name of readdirSync(DIST, { recursive: true })) {
  if (!name.endsWith('.js')) continue;
  const file = join(DIST, name);
  // Only the module format changes here: the names were kept by the bundling above.
  const { code } = await transform(readFileSync(file, 'utf8'), {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
  });
  writeFileSync(file, code);
}

// The declarations, beside the bundles (tsc's .js files are what esbuild bundled).
cpSync(ESM, DIST, { recursive: true, filter: (path) => !path.endsWith('.js') });
rmSync(ESM, { recursive: true, force: true });

/** Resolves `tslib` to its ES module build, so that esbuild bundles (and tree-shakes) it. */
function bundledTslib() {
  const tslib = createRequire(import.meta.url).resolve('tslib/tslib.es6.mjs');
  return {
    name: 'bundled-tslib',
    setup(build) {
      build.onResolve({ filter: /^tslib$/ }, () => ({ path: tslib }));
    },
  };
}
