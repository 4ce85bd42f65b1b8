import type { GroupRecord, NodeInfo } from '../api/api-types';
import { layerGroups, sourceNames } from './effective-config';

const record = (name: string, config: Record<string, unknown>): GroupRecord => ({
  name,
  version: 0,
  config,
  updatedAt: null,
  author: null,
  comment: null,
});

describe('a node effective config, as the console rebuilds it', () => {
  it('lists the shared groups first, then the own group', () => {
    const node = { group: 'own', shared: [{ name: 'common', version: 1 }] } as NodeInfo;
    expect(sourceNames(node)).toEqual(['common', 'own']);
    expect(sourceNames({ ...node, group: null })).toEqual(['common']);
  });

  it('lets a later group win a key whole, and skips a missing group', () => {
    const keys = layerGroups([
      record('common', { timeout_ms: 3000, endpoint: { host: 'a', port: 1 } }),
      null,
      record('own', { endpoint: { host: 'b' }, apikey: 'k' }),
    ]);
    expect(keys).toEqual([
      { key: 'apikey', value: 'k', source: 'own' },
      { key: 'endpoint', value: { host: 'b' }, source: 'own' },
      { key: 'timeout_ms', value: 3000, source: 'common' },
    ]);
  });
});
