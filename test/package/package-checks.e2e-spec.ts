import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runIn, tarballs } from './consumer-project';
const { apiExtractorConfigs } = require('../../scripts/api-reports.js') as {
  apiExtractorConfigs: () => string[];
};

/**
 * What a publish would upload, checked as the registry's users will see it: the files in each
 * tarball, publint and Are The Types Wrong on them, the `.d.ts` imports, and the API report.
 */
jest.setTimeout(120_000);

const bin = (name: string) => join(PROJECT_ROOT, 'node_modules/.bin', name);

function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((entry) => entry.replace(/^package\//, ''));
}

function tarballText(tarball: string, file: string): string {
  return execFileSync('tar', ['-xzOf', tarball, `package/${file}`], { encoding: 'utf8' });
}

/** Packages a published `.d.ts` may import: the library's required peers, nothing optional. */
const TYPE_IMPORTS = new Set(['@nestjs/common', '@nestjs/core', 'ioredis', 'rxjs']);
/**
 * The one exception: the `/openfeature` entry point's types are OpenFeature's (its optional peer,
 * installed by whoever imports that entry point); no other file's types may name it.
 */
const OPENFEATURE_TYPES = /^dist\/openfeature(\.d\.ts$|\/)/;

describe('published packages', () => {
  const { library, admin } = tarballs();

  it('the library ships its build output, README, licence and nothing else', () => {
    const files = tarballFiles(library);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/publisher.js');
    expect(files).toContain('dist/publisher.d.ts');
    expect(files).toContain('dist/openfeature.js');
    expect(files).toContain('dist/openfeature.d.ts');
    const others = files.filter(
      (file) =>
        !/^dist\/.+\.(js|d\.ts)$/.test(file) &&
        !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(file),
    );
    expect(others).toEqual([]);
    expect(files.filter((file) => /\.spec\.|\/test\//.test(file))).toEqual([]);
  });

  it('the library output keeps no path alias and loads no package but its peers', () => {
    const jsFiles = tarballFiles(library).filter((file) => file.endsWith('.js'));
    for (const file of jsFiles) {
      expect(tarballText(library, file)).not.toMatch(/require\("@rcc\/redis-config/);
    }
  });

  it("a node's require loads the root bundle and its chunks: no publisher, testing or OpenFeature code, no fs/promises", () => {
    // Unpacked inside the project, so that its peers resolve from the project's node_modules.
    const unpacked = mkdtempSync(join(PROJECT_ROOT, 'node_modules', '.rcc-unpacked-'));
    try {
      execFileSync('tar', ['-xzf', library, '-C', unpacked]);
      const dist = join(unpacked, 'package', 'dist');
      // Built-ins are counted after what a Nest node loads anyway (Nest, rxjs, ioredis).
      const probe = `
        for (const name of ['@nestjs/core', '@nestjs/common', 'rxjs', 'ioredis']) require(name);
        const builtins = new Set(process.moduleLoadList);
        require(${JSON.stringify(join(dist, 'index.js'))});
        const ours = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(dist)}));
        process.stdout.write(JSON.stringify({
          loaded: ours.map((f) => f.slice(${dist.length + 1})),
          builtins: process.moduleLoadList.filter((name) => !builtins.has(name)),
        }));`;
      const { loaded, builtins } = JSON.parse(
        execFileSync(process.execPath, ['-e', probe], { cwd: PROJECT_ROOT, encoding: 'utf8' }),
      ) as { loaded: string[]; builtins: string[] };
      // node:fs/promises (2-5 ms) is loaded only by a node that keeps a snapshot, when it does.
      expect(builtins).not.toContain('NativeModule fs/promises');
      expect(loaded[0]).toBe('index.js');
      expect(loaded.slice(1).every((file) => /^chunks\/[\w-]+\.js$/.test(file))).toBe(true);
      // What only the other entry points use is in their own files, not in a chunk a node loads.
      const text = loaded.map((file) => readFileSync(join(dist, file), 'utf8')).join('\n');
      // (esbuild defines a decorated class as `var Name = [Name_1 = ]class Name2 {`.)
      const defines = (name: string) => new RegExp(`\\bvar ${name} = .*\\bclass ${name}\\d* \\{`);
      for (const [entry, name] of [
        ['publisher.js', 'ConfigGroupStore'],
        ['publisher.js', 'RolloutEngine'],
        ['publisher.js', 'NodeRegistry'],
        ['testing.js', 'RedisConfigTestingModule'],
      ]) {
        expect(readFileSync(join(dist, entry), 'utf8')).toMatch(defines(name));
        expect(text).not.toMatch(defines(name));
      }
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }
  });

  it('the library types import only its required peers (no optional peer leaks)', () => {
    const problems: string[] = [];
    for (const file of tarballFiles(library).filter((name) => name.endsWith('.d.ts'))) {
      const text = tarballText(library, file);
      for (const match of text.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
        const specifier = match[1];
        const allowed =
          TYPE_IMPORTS.has(specifier) ||
          (specifier === '@openfeature/server-sdk' && OPENFEATURE_TYPES.test(file));
        if (!specifier.startsWith('.') && !allowed) {
          problems.push(`${file}: ${specifier}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the admin package ships its bins, both bundles and the built console', () => {
    const files = tarballFiles(admin);
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/rcc-admin.js',
        'bin/rcc.js',
        'dist/admin/main.js',
        'dist/cli/main.js',
        'dist/console/index.html',
        'README.md',
        'LICENSE',
      ]),
    );
    const manifest = JSON.parse(tarballText(admin, 'package.json')) as {
      bin: Record<string, string>;
    };
    expect(manifest.bin).toEqual({ 'rcc-admin': 'bin/rcc-admin.js', rcc: 'bin/rcc.js' });
  });

  it.each([
    ['@rcc/redis-config', () => library],
    ['@rcc/admin', () => admin],
  ])('publint --strict finds nothing in %s', async (_name, tarball) => {
    const { stdout } = await runIn(PROJECT_ROOT, bin('publint'), ['--strict', tarball()]);
    expect(stdout).toContain('All good!');
  });

  it('Are The Types Wrong finds nothing in the library, from CommonJS, ESM and bundlers', async () => {
    // attw exits non-zero on any problem; --format json gives what to assert on.
    const { stdout } = await runIn(PROJECT_ROOT, bin('attw'), [library, '--format', 'json']);
    const report = JSON.parse(stdout) as { analysis: { problems: unknown[] } };
    expect(report.analysis.problems).toEqual([]);
  });

  it.each(apiExtractorConfigs())(
    'the API report of %s is up to date (npm run api:update after a deliberate change)',
    async (config) => {
      // Without --local, api-extractor fails when the public API differs from the checked-in report.
      const { stdout } = await runIn(
        join(PROJECT_ROOT, 'libs/redis-config'),
        bin('api-extractor'),
        ['run', '--config', config],
      );
      expect(stdout).toContain('API Extractor completed successfully');
      expect(stdout).not.toMatch(/Warning:/);
    },
  );

  it('the root entry point exports at most 25 names (DESIGN §11)', () => {
    const report = readFileSync(
      join(PROJECT_ROOT, 'libs/redis-config/api/redis-config.api.md'),
      'utf8',
    );
    const names = [
      ...report.matchAll(
        /^export (?:declare )?(?:abstract )?(?:class|function|const|type|interface|enum) (\w+)/gm,
      ),
    ];
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThanOrEqual(25);
  });
});
