import { Logger } from '@nestjs/common';

const REGISTRY = Symbol.for('@rcc/redis-config:copies');

type CopyRegistry = Set<string>;

/**
 * Where each copy of this package loaded in the process lives. Tokens and metadata keys are
 * registered symbols and agree across copies, but classes (`ConfigGroupService`, …) cannot: a
 * provider injecting the class of one copy does not find the other's. Two copies are a packaging
 * mistake (a library that lists the package as a dependency instead of a peer), said once.
 */
function copies(): CopyRegistry {
  const global = globalThis as typeof globalThis & { [REGISTRY]?: CopyRegistry };
  global[REGISTRY] ??= new Set();
  return global[REGISTRY];
}

copies().add(__dirname);

let warned = false;

/** Logs, once per process, that more than one copy of the package is loaded. */
export function warnOfOtherCopies(): void {
  const found = copies();
  if (warned || found.size < 2) return;
  warned = true;
  new Logger('RedisConfig').warn(
    `${found.size} copies of @rcc/redis-config are loaded (${[...found].join(', ')}): ` +
      'injecting ConfigGroupService of one does not find the other. Make @rcc/redis-config a ' +
      'peer dependency of libraries that use it, and install one copy (npm ls @rcc/redis-config).',
  );
}
