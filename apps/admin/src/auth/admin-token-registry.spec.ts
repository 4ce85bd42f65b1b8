import { AdminTokenRegistry } from './admin-token-registry';

describe('AdminTokenRegistry', () => {
  const registry = new AdminTokenRegistry([
    { label: 'alice', token: 'alice-secret', role: 'reader' },
    { label: 'bob', token: 'bob-secret-longer' },
  ]);

  it('tells the label and role of a known token (admin when none was given)', () => {
    expect(registry.match('alice-secret')).toEqual({ label: 'alice', role: 'reader' });
    expect(registry.match('bob-secret-longer')).toEqual({ label: 'bob', role: 'admin' });
  });

  it.each(['', 'alice-secreT', 'alice-secret ', 'alice-secre', 'x'.repeat(10_000)])(
    'refuses %p',
    (presented) => {
      expect(registry.match(presented)).toBeNull();
    },
  );

  it('reads the token of a Bearer header, any case of the scheme, nothing else', () => {
    expect(AdminTokenRegistry.bearerToken('Bearer abc')).toBe('abc');
    expect(AdminTokenRegistry.bearerToken('bearer  abc ')).toBe('abc');
    expect(AdminTokenRegistry.bearerToken('Basic abc')).toBeNull();
    expect(AdminTokenRegistry.bearerToken('Bearer a b')).toBeNull();
    expect(AdminTokenRegistry.bearerToken('Bearer ')).toBeNull();
    expect(AdminTokenRegistry.bearerToken(undefined)).toBeNull();
    expect(AdminTokenRegistry.bearerToken(['Bearer abc'])).toBeNull();
  });

  it('needs at least one token', () => {
    expect(() => new AdminTokenRegistry([])).toThrow();
  });
});
