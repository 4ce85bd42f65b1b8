import { decodeHolder, encodeHolder } from './holder-entry';

describe('holder entries', () => {
  it('round-trips pinned and pool-placed places, whatever the group name', () => {
    for (const group of ['a', 'apikey-1', 'p:a', 'with:colons', '中文']) {
      for (const pinned of [true, false]) {
        expect(decodeHolder(encodeHolder({ group, pinned }))).toEqual({ group, pinned });
      }
    }
  });

  it('rejects values that are not ours', () => {
    for (const entry of ['', 'a', 'x:g', 'pg', 'p:']) expect(decodeHolder(entry)).toBeNull();
  });
});
