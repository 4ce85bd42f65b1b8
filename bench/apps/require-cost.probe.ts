import { performance } from 'node:perf_hooks';

/**
 * Loads, in one fresh process, what both bench apps load, then each package this library adds, and
 * tells the parent how long each took (ms) and how many files it brought. Run as compiled JS.
 */
const BASELINE = ['@nestjs/core', '@nestjs/common', '@nestjs/platform-express', '@nestjs/config'];
const ADDED = ['rxjs', 'ioredis', '@rcc/redis-config'];
/** Loaded by the library only when asked for: a shared client, a `validate` class. */
const ON_DEMAND = ['@liaoliaots/nestjs-redis', 'class-validator', 'class-transformer'];

/** One package's require: time (ms) and files it brought that were not loaded yet. */
export interface RequireCost {
  module: string;
  ms: number;
  files: number;
  loadedBy: 'both apps' | 'baseline app only' | 'this library only' | 'this library, on demand';
}

const loaded = () => Object.keys(require.cache).length;
const result: RequireCost[] = [];
for (const name of [...BASELINE, ...ADDED, ...ON_DEMAND]) {
  const files = loaded();
  const started = performance.now();
  require(name);
  result.push({
    module: name,
    ms: performance.now() - started,
    files: loaded() - files,
    loadedBy: ON_DEMAND.includes(name)
      ? 'this library, on demand'
      : !BASELINE.includes(name)
        ? 'this library only'
        : name === '@nestjs/config'
          ? 'baseline app only'
          : 'both apps',
  });
}
process.send?.({ type: 'require-cost', result }, () => process.exit(0));
