import { markChangedSecrets } from './secret-changes';

const MARK = '•••• (secret changed)';

describe('markChangedSecrets', () => {
  it('marks a short secret whose digest changed, though both masks read the same', () => {
    const before = { apikey: '••••', timeout: 5 };
    const after = { apikey: '••••', timeout: 5 };
    expect(
      markChangedSecrets(
        before,
        after,
        { before: { apikey: 'aaa' }, after: { apikey: 'bbb' } },
        MARK,
      ),
    ).toEqual({ apikey: MARK, timeout: 5 });
  });

  it('leaves a secret with the same digest, and keys that are no secrets', () => {
    const after = { apikey: '••••', timeout: 6 };
    expect(
      markChangedSecrets(
        { apikey: '••••', timeout: 5 },
        after,
        { before: { apikey: 'aaa' }, after: { apikey: 'aaa' } },
        MARK,
      ),
    ).toEqual(after);
  });

  it('hides a secret typed into a draft, and keeps an unchanged mask', () => {
    const before = { apikey: '••••', password: '••••5678' };
    const digests = { before: { apikey: 'a', password: 'p' } };
    expect(
      markChangedSecrets(before, { apikey: 'new1', password: '••••5678' }, digests, MARK),
    ).toEqual({
      apikey: MARK,
      password: '••••5678',
    });
  });

  it('leaves a removed secret out and changes nothing without digests (a revealed view)', () => {
    expect(markChangedSecrets({ apikey: '••••' }, {}, { before: { apikey: 'a' } }, MARK)).toEqual(
      {},
    );
    const revealed = { apikey: 'clear' };
    expect(markChangedSecrets({ apikey: 'old' }, revealed, {}, MARK)).toBe(revealed);
    expect(markChangedSecrets({ apikey: 'old' }, [1], { before: { apikey: 'a' } }, MARK)).toEqual([
      1,
    ]);
  });
});
