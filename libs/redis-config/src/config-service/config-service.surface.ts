/**
 * What the bridge uses of `@nestjs/config`, typed here so that the package stays an optional peer
 * (nothing of it in our `.d.ts`), and the two things it needs that the package does not export.
 */

/** The part of `ConfigService` the bridge calls. */
export interface ConfigServiceReader {
  get(path: string): unknown;
}

/** `ConfigService.changes$` events, as `set()` emits them. */
export interface ConfigServiceChanges {
  next(event: { path: string; oldValue: unknown; newValue: unknown }): void;
}

/**
 * The token of the object `ConfigService` reads its namespaces from, the one `registerAs` with
 * `load` or `forFeature` writes to: `'CONFIGURATION_TOKEN'` from 1.x to 4.x, not exported.
 */
export const CONFIGURATION_TOKEN = 'CONFIGURATION_TOKEN';

/**
 * The subject behind `ConfigService.changes$` (3.2 and later; `_changes$` in 3.x and 4.x). The
 * stream is read-only, and `set()`, its only public source, writes `process.env`. Null when there
 * is none to feed, or when this version keeps it elsewhere.
 */
export function configServiceChanges(service: ConfigServiceReader): ConfigServiceChanges | null {
  const subject = (service as { _changes$?: Partial<ConfigServiceChanges> })._changes$;
  return typeof subject?.next === 'function' ? (subject as ConfigServiceChanges) : null;
}
