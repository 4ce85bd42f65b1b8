import { defineConfig } from 'vite';

/**
 * The web console, bundled into `dist/console` and served by the admin service at `/`.
 * Paths are relative to the repository root, where `npm run build:console` runs.
 */
export default defineConfig({
  root: 'apps/admin/console',
  // Relative asset URLs keep the console working behind a proxy that adds a path prefix.
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../../../dist/console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
});
