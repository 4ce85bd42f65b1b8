import { AUDIT_ACTIONS as SERVER_ACTIONS } from '../../../src/audit/audit-entry';
import { EN } from '../i18n/messages-en';
import { ZH } from '../i18n/messages-zh';
import { AUDIT_ACTIONS } from './api-types';

/** The console's audit filter offers exactly the actions the server records, each with a label. */
describe('console audit actions', () => {
  it('match the server', () => {
    expect([...AUDIT_ACTIONS]).toEqual([...SERVER_ACTIONS]);
  });

  it.each([
    ['en', EN],
    ['zh', ZH],
  ])('each has a %s label', (_language, messages) => {
    const labels = messages as Record<string, string>;
    for (const action of AUDIT_ACTIONS) expect(labels[`audit.action.${action}`]).toBeTruthy();
  });
});
