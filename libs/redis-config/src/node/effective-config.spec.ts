import { changedKeys } from '../wire/changed-keys';
import { frozenGroup } from './config-change';
import { layerConfigs } from './effective-config';

describe('layerConfigs', () => {
  const common = frozenGroup('common', 3, { timeout_ms: 3000, endpoint: { host: 'a', port: 1 } });
  const region = frozenGroup('region', 0, { timeout_ms: 4000, region: 'eu' });
  const own = frozenGroup('apikey-1', 7, { apikey: 'k1', endpoint: { host: 'b' } });

  it('lets a later layer win a key, replacing an object value whole', () => {
    const { config, sourceOf } = layerConfigs([common, region, own]);
    expect(config).toEqual({
      timeout_ms: 4000,
      endpoint: { host: 'b' },
      region: 'eu',
      apikey: 'k1',
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect([...sourceOf]).toEqual(
      expect.arrayContaining([
        ['timeout_ms', 'region'],
        ['endpoint', 'apikey-1'],
        ['region', 'region'],
        ['apikey', 'apikey-1'],
      ]),
    );
  });

  it('skips missing layers, and keeps a single source object as it is', () => {
    expect(layerConfigs([null, own]).config).toBe(own.config);
    expect(layerConfigs([common, null]).config).toBe(common.config);
    expect(layerConfigs([null, null]).config).toEqual({});
  });

  it('keeps a stored "__proto__" key a plain key', () => {
    const odd = frozenGroup('odd', 0, JSON.parse('{"__proto__": {"polluted": true}}'));
    const { config } = layerConfigs([odd, own]);
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
    expect(Object.keys(config)).toContain('__proto__');
  });

  it('diffs effective configs: a key the own group shadows does not change', () => {
    const before = layerConfigs([common, own]).config;
    const next = frozenGroup('common', 4, { timeout_ms: 5000, endpoint: { host: 'z' } });
    const after = layerConfigs([next, own]).config;
    expect(changedKeys(before, after)).toEqual(['timeout_ms']);
    // The shared group deleted: only the keys it alone gave are gone.
    expect(changedKeys(after, layerConfigs([null, own]).config)).toEqual(['timeout_ms']);
  });
});
