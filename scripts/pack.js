#!/usr/bin/env node
// `npm run pack`: writes the two tarballs a registry publish would upload to dist/packages/
// (DESIGN §11), building first when a build output is missing or older than its sources.
//   @rcc/redis-config  libs/redis-config/dist (bundled entry points + tsc .d.ts), README, LICENSE, CHANGELOG
//   @rcc/admin         the admin and CLI bundles, the built console, the two bins
// Each package is staged in a scratch folder first, so the tarball holds exactly what is listed.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'dist/packages');
const at = (...parts) => path.join(ROOT, ...parts);

const BUILD_OUTPUTS = [
  'libs/redis-config/dist/index.js',
  'libs/redis-config/dist/publisher.js',
  'libs/redis-config/dist/openfeature.js',
  'dist/apps/admin/main.js',
  'dist/apps/cli/main.js',
  'dist/console/index.html',
];
const SOURCES = [
  'libs/redis-config/src',
  'apps/admin/src',
  'apps/admin/console/src',
  'apps/cli/src',
  'package-lock.json',
];

function newestMtime(target) {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function buildNeeded() {
  const outputs = BUILD_OUTPUTS.map((file) => at(file));
  if (outputs.some((file) => !fs.existsSync(file))) return true;
  const oldestOutput = Math.min(...outputs.map((file) => fs.statSync(file).mtimeMs));
  return SOURCES.some((source) => newestMtime(at(source)) > oldestOutput);
}

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
}

/** Copies the .js and .d.ts files of a tsc output folder (no maps, no build info). */
function copyCompiled(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copyCompiled(source, path.join(to, entry.name));
    else if (/\.(js|d\.ts)$/.test(entry.name)) copy(source, path.join(to, entry.name));
  }
}

/** Copies the package's manifest and its documents (each package has its own README and log). */
function stageCommon(packageDir, stage) {
  copy(path.join(packageDir, 'package.json'), path.join(stage, 'package.json'));
  copy(path.join(packageDir, 'README.md'), path.join(stage, 'README.md'));
  copy(at('LICENSE'), path.join(stage, 'LICENSE'));
  const changelog = path.join(packageDir, 'CHANGELOG.md');
  if (fs.existsSync(changelog)) copy(changelog, path.join(stage, 'CHANGELOG.md'));
}

function stageLibrary(stage) {
  stageCommon(at('libs/redis-config'), stage);
  copyCompiled(at('libs/redis-config/dist'), path.join(stage, 'dist'));
}

function stageAdmin(stage) {
  stageCommon(at('apps/admin'), stage);
  copy(at('apps/admin/bin'), path.join(stage, 'bin'));
  copy(at('dist/apps/admin/main.js'), path.join(stage, 'dist/admin/main.js'));
  copy(at('dist/apps/cli/main.js'), path.join(stage, 'dist/cli/main.js'));
  copy(at('dist/console'), path.join(stage, 'dist/console'));
  // The console's bundles are browser ES modules: say so, in a package that is CommonJS.
  fs.writeFileSync(path.join(stage, 'dist/console/package.json'), '{ "type": "module" }\n');
}

function pack(stage) {
  const output = execFileSync('npm', ['pack', stage, '--pack-destination', OUT, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [{ filename, size, unpackedSize, entryCount }] = JSON.parse(output);
  return { file: path.join(OUT, filename), size, unpackedSize, entryCount };
}

function main() {
  if (buildNeeded()) {
    process.stderr.write('pack: building first (an output is missing or older than its sources)\n');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  const scratch = path.join(OUT, '.stage');
  const packed = [];
  for (const [name, stageFn] of [
    ['redis-config', stageLibrary],
    ['admin', stageAdmin],
  ]) {
    const stage = path.join(scratch, name);
    stageFn(stage);
    packed.push(pack(stage));
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  for (const { file, size, unpackedSize, entryCount } of packed) {
    const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
    process.stdout.write(
      `${path.relative(ROOT, file)}  ${kib(size)} packed, ${kib(unpackedSize)} unpacked, ${entryCount} files\n`,
    );
  }
}

main();
