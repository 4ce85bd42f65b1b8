import type { Type } from '@nestjs/common';

/**
 * The publisher's injectable classes (`ConfigGroupStore`, `RolloutEngine`, `NodeRegistry`) add
 * themselves here when their file is loaded, and `RedisConfigModule` provides whatever is here
 * when Nest scans it. An app can only inject one of them by naming its class, which loads it: so
 * a node that publishes still injects `ConfigGroupStore` where it imports the module, and a node
 * that does not never loads the publisher's code.
 */
const registered = new Set<Type>();

/** Called once by each publisher class, at the end of its own file. */
export function registerPublisherProvider(type: Type): void {
  registered.add(type);
}

/** The publisher classes loaded so far, in load order. */
export function registeredPublisherProviders(): Type[] {
  return [...registered];
}
