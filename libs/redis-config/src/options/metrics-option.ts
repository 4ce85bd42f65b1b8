import { booleanVariable } from '../utils/env';

/**
 * The part of a `prom-client` `Registry` the node's metrics use. Written here, not imported:
 * `prom-client` is an optional peer, and the library's types must not need it.
 */
export interface MetricsRegistry {
  /** Adds a metric (prom-client's metrics call it when given `registers`). */
  registerMetric(metric: never): void;
  /** The metric of that name, if any: a second node of one registry registers nothing. */
  getSingleMetric(name: string): unknown;
  /** Removes a metric: the node's go when its app closes. */
  removeSingleMetric(name: string): void;
}

/** `metrics`: `true` for prom-client's default registry, or the registry the app gives. */
export type MetricsOption = boolean | { registry?: MetricsRegistry };

/** Resolved `metrics`: null when off; `registry` null = prom-client's default registry. */
export type ResolvedMetrics = { registry: MetricsRegistry | null } | null;

/** `metrics` over `RCC_METRICS` (true/false); throws naming the variable. */
export function resolveMetrics(
  option: MetricsOption | undefined,
  raw: string | undefined,
): ResolvedMetrics {
  if (option === undefined) {
    return booleanVariable('RCC_METRICS', raw, false) ? { registry: null } : null;
  }
  if (option === false) return null;
  return { registry: option === true ? null : (option.registry ?? null) };
}
