import type { AuditEntry } from './audit-entry';
import { AUDIT_BOUNDS, boundedEntry, capText } from './audit-bounds';

const entry = (fields: Partial<AuditEntry> = {}): AuditEntry => ({
  at: '2026-12-07T00:00:00.000Z',
  action: 'refused',
  actor: null,
  role: null,
  address: '127.0.0.1',
  method: 'GET',
  path: '/api/groups',
  status: 401,
  group: null,
  fromVersion: null,
  toVersion: null,
  keys: [],
  ...fields,
});

describe('audit entry bounds', () => {
  it('keeps short fields as they are', () => {
    const small = entry({ keys: ['a', 'b'], groups: ['g'] });
    expect(boundedEntry(small)).toEqual(small);
  });

  it('cuts every caller-chosen text to its bound, marking the cut', () => {
    const long = 'x'.repeat(15_000);
    const stored = boundedEntry(
      entry({ path: long, actor: long, group: long, address: long, method: long }),
    );
    expect(stored.path).toHaveLength(AUDIT_BOUNDS.text);
    expect(stored.path.endsWith('…')).toBe(true);
    expect(stored.actor).toHaveLength(AUDIT_BOUNDS.text);
    expect(stored.group).toHaveLength(AUDIT_BOUNDS.text);
    expect(stored.address).toHaveLength(AUDIT_BOUNDS.short);
    expect(stored.method).toHaveLength(AUDIT_BOUNDS.short);
    expect(JSON.stringify(stored).length).toBeLessThan(2_000);
  });

  it('keeps at most the bound of key and group names, and says how many more there were', () => {
    const names = Array.from({ length: 250 }, (_, i) => `key-${i}-${'y'.repeat(1000)}`);
    const stored = boundedEntry(entry({ action: 'imported', keys: names, groups: names }));
    expect(stored.keys).toHaveLength(AUDIT_BOUNDS.names + 1);
    expect(stored.keys[AUDIT_BOUNDS.names]).toBe('… 150 more');
    expect(stored.groups).toEqual(stored.keys);
    expect(stored.keys.every((name) => name.length <= AUDIT_BOUNDS.text)).toBe(true);
  });

  it('cuts at the given bound', () => {
    expect(capText('abcdef', 4)).toBe('abc…');
    expect(capText('abcd', 4)).toBe('abcd');
  });
});
