import type { ConfigDict } from '../wire/config-group-record';
import type { ConfigGroup } from './config-change';

/** The config a node serves, made once per change of any of its sources (never per read). */
export interface EffectiveConfig {
  /** Frozen; the same object as the own group's config when no shared group contributes. */
  readonly config: Readonly<ConfigDict>;
  /** The group each key comes from. */
  readonly sourceOf: ReadonlyMap<string, string>;
}

const NONE: EffectiveConfig = { config: Object.freeze({}), sourceOf: new Map() };

/**
 * Layers the top-level keys of `layers` in order (lowest precedence first; null: a source that
 * contributes nothing): a later layer wins a key, and a value is never merged deeper.
 */
export function layerConfigs(layers: readonly (ConfigGroup | null)[]): EffectiveConfig {
  const present = layers.filter((layer): layer is ConfigGroup => layer !== null);
  if (present.length === 0) return NONE;
  const sourceOf = new Map<string, string>();
  const values = new Map<string, unknown>();
  for (const { name, config } of present) {
    for (const key of Object.keys(config)) {
      values.set(key, config[key]);
      sourceOf.set(key, name);
    }
  }
  // A single source keeps its own (frozen) object: a node without shared groups reads as before.
  const config =
    present.length === 1
      ? present[0].config
      : // fromEntries defines data properties: a stored "__proto__" key stays a plain key.
        Object.freeze(Object.fromEntries(values) as ConfigDict);
  return { config, sourceOf };
}
