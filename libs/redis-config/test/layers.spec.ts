import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * The library's layers, lowest first. A file may import its own folder and any lower layer, never
 * a higher one or a peer of its own layer: `store/` (the publisher) and `assignment/` (placement)
 * share only what lies below them, the wire format above all.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'utils'],
  ['secrets'], // encryption of secret values: below everything that reads or writes a group
  ['wire'],
  ['options'],
  ['connection'],
  ['store', 'assignment'],
  ['rollouts'], // the rollout state machine: over the store and the live nodes
  ['node'],
  ['decorators'],
  ['config-service', 'metrics'],
  ['openfeature'], // the OpenFeature provider: over the node, loaded only by its entry point
  ['.'], // the module and the entry points (index.ts, publisher.ts, testing.ts, openfeature.ts)
];

/**
 * Lower folders that a higher one may reach only through the files named here: the node orchestrates
 * its life and sees the placement policy only through the assigner's interface.
 */
const ONLY_THROUGH: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  node: { assignment: ['assignment/group-assigner.ts'] },
};

/** Packages the library may load: its peers (optional ones lazily) and Node's own modules. */
const PACKAGES = new Set([
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/config',
  '@liaoliaots/nestjs-redis',
  'class-transformer',
  'class-validator',
  'ioredis',
  'prom-client',
  '@openfeature/server-sdk',
  'reflect-metadata',
  'rxjs',
]);

const SRC = resolve(__dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every module specifier of a file: imports, re-exports, `require(…)` and `import(…)` types. */
function specifiers(file: string): string[] {
  const found: string[] = [];
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0]) &&
      ((ts.isIdentifier(node.expression) && node.expression.text === 'require') ||
        node.expression.kind === ts.SyntaxKind.ImportKeyword)
    ) {
      found.push(node.arguments[0].text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The top folder of a source file, or of a folder imported through its index ('.' for the root). */
function folderOf(path: string): string {
  const rel = relative(SRC, path);
  if (rel.includes(sep) || (existsSync(path) && statSync(path).isDirectory())) {
    return rel.split(sep)[0];
  }
  return '.';
}

function rankOf(folder: string): number {
  const rank = LAYERS.findIndex((layer) => layer.includes(folder));
  if (rank < 0) throw new Error(`libs/redis-config/src/${folder} is in no layer of layers.spec.ts`);
  return rank;
}

/** What is wrong with one import of `file`, or null. */
export function importProblem(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) {
    if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return null;
    if (PACKAGES.has(specifier)) return null;
    const root = specifier.match(/^(@[^/]+\/[^/]+|[^/]+)/)?.[1] ?? specifier;
    return PACKAGES.has(root)
      ? `imports ${specifier}: only package roots (Nest 12 resolves no subpaths)`
      : `imports ${specifier}, which is not a peer of the library`;
  }
  const target = resolve(dirname(file), specifier);
  if (!target.startsWith(SRC + sep)) return `imports ${specifier}, outside the library`;
  const from = folderOf(file);
  const to = folderOf(target);
  if (from === to) return null;
  const narrow = ONLY_THROUGH[from]?.[to];
  if (narrow && !narrow.some((allowed) => target === join(SRC, allowed.replace(/\.ts$/, '')))) {
    return `${from}/ reaches ${to}/ other than through ${narrow.join(', ')} (${specifier})`;
  }
  const [fromRank, toRank] = [rankOf(from), rankOf(to)];
  if (toRank < fromRank) return null;
  return toRank === fromRank
    ? `${from}/ imports its peer ${to}/ (${specifier})`
    : `${from}/ imports the higher layer ${to}/ (${specifier})`;
}

/** The library's files that `entry` loads, itself included, following relative imports. */
function loadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of specifiers(file)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      const path = [`${target}.ts`, join(target, 'index.ts')].find((candidate) =>
        existsSync(candidate),
      );
      if (path) visit(path);
    }
  };
  visit(join(SRC, entry));
  return seen;
}

/** The packages that the files of `entry` import (imports of types included). */
function packagesLoadedBy(entry: string): string[] {
  return [...loadedBy(entry)].flatMap((file) =>
    specifiers(file).filter((specifier) => !specifier.startsWith('.')),
  );
}

describe('library layers', () => {
  const files = sources(SRC);

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it('puts every folder in a layer', () => {
    for (const file of files) expect(() => rankOf(folderOf(file))).not.toThrow();
  });

  it('has no import of a higher layer, of a peer layer or of a non-peer package', () => {
    const problems = files.flatMap((file) =>
      specifiers(file)
        .map((specifier) => importProblem(file, specifier))
        .filter((problem): problem is string => problem !== null)
        .map((problem) => `${relative(SRC, file)}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it.each(['index.ts', 'publisher.ts', 'testing.ts'])(
    '%s never loads the OpenFeature provider nor @openfeature/* (optional peers)',
    (entry) => {
      const files = [...loadedBy(entry)].map((file) => relative(SRC, file));
      expect(files.length).toBeGreaterThan(5);
      expect(files.filter((file) => file.startsWith(`openfeature${sep}`))).toEqual([]);
      expect(packagesLoadedBy(entry).filter((name) => name.startsWith('@openfeature/'))).toEqual(
        [],
      );
    },
  );

  it('only the openfeature entry point and its folder import @openfeature/*', () => {
    const importers = files
      .filter((file) => specifiers(file).some((specifier) => specifier.startsWith('@openfeature/')))
      .map((file) => relative(SRC, file));
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((file) => !file.startsWith(`openfeature${sep}`))).toEqual([]);
    expect(packagesLoadedBy('openfeature.ts')).toContain('@openfeature/server-sdk');
  });

  it('would report the imports it forbids', () => {
    const file = (path: string) => join(SRC, path);
    expect(importProblem(file('store/x.ts'), '../assignment/placement')).toMatch(/peer/);
    expect(importProblem(file('assignment/x.ts'), '../node/node-state')).toMatch(/higher/);
    expect(importProblem(file('wire/x.ts'), '../options/redis-config.options')).toMatch(/higher/);
    expect(importProblem(file('node/x.ts'), '../assignment/placement')).toMatch(/through/);
    expect(importProblem(file('node/x.ts'), '../assignment/group-assigner')).toBeNull();
    expect(importProblem(file('node/x.ts'), '../wire/config-keys')).toBeNull();
    expect(importProblem(file('node/x.ts'), '@nestjs/common/interfaces')).toMatch(/package roots/);
    expect(importProblem(file('node/x.ts'), 'lodash')).toMatch(/not a peer/);
  });
});
