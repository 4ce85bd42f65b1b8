import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Where the built console (`dist/console`, made by `npm run build:console`) is: beside the
 * webpack bundle (`dist/apps/admin/main.js` in the repository, `dist/admin/main.js` in the
 * `@rcc/admin` package), or from the sources when run by ts-node / jest.
 * Only a folder named `dist/console` counts: the console's sources have an index.html too.
 * Null when it has not been built.
 */
export function findConsoleDirectory(): string | null {
  const candidates = [
    resolve(__dirname, '../console'),
    resolve(__dirname, '../../console'),
    resolve(__dirname, '../../../../dist/console'),
    resolve(process.cwd(), 'dist/console'),
  ];
  return (
    candidates.find(
      (dir) =>
        basename(dir) === 'console' &&
        basename(dirname(dir)) === 'dist' &&
        existsSync(join(dir, 'index.html')),
    ) ?? null
  );
}
