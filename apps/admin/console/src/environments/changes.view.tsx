import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import type { ChangeRequest, ChangeStatus } from '../api/api-types';
import { useCan, useSession } from '../auth/session-context';
import { errorText } from '../common/error-text';
import { useNotice } from '../common/notice';
import { useLoad } from '../common/use-load';
import { useI18n } from '../i18n/i18n';
import { DiffTable } from './diff-table.view';

const FILTERS: (ChangeStatus | '')[] = [
  'pending',
  'applied',
  'stale',
  'failed',
  'rejected',
  'withdrawn',
  '',
];

/** Pending change requests of the environment: their diff, approve / reject / withdraw. */
export function ChangesView() {
  const { t } = useI18n();
  const api = useApi();
  const notify = useNotice();
  const session = useSession();
  const canDecide = useCan('writer');
  const [status, setStatus] = useState<ChangeStatus | ''>('pending');
  const [busy, setBusy] = useState(false);
  const changes = useLoad(() => api.changes(status), [status]);

  const decide = async (change: ChangeRequest, decision: 'approve' | 'reject' | 'withdraw') => {
    setBusy(true);
    try {
      const decided = await api.decideChange(change.id, decision);
      notify({
        kind: 'success',
        text: t('changes.decided', {
          id: decided.id,
          status: t(`changes.status.${decided.status}`),
        }),
      });
    } catch (error) {
      notify({ kind: 'error', text: errorText(error, t) });
    } finally {
      setBusy(false);
      await changes.reload();
    }
  };

  return (
    <section aria-labelledby="changes-title">
      <div class="toolbar">
        <h1 id="changes-title">{t('changes.title')}</h1>
        <label class="field inline">
          <span>{t('changes.filter')}</span>
          <select
            value={status}
            onChange={(event) =>
              setStatus((event.target as HTMLSelectElement).value as ChangeStatus | '')
            }
          >
            {FILTERS.map((value) => (
              <option key={value} value={value}>
                {value ? t(`changes.status.${value}`) : t('changes.any')}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void changes.reload()}>
          {t('groups.refresh')}
        </button>
      </div>
      <p class="muted">{t('changes.intro')}</p>
      {changes.error !== null && (
        <p role="alert" class="error-box">
          {errorText(changes.error, t)}
        </p>
      )}
      {changes.data !== null && changes.data.length === 0 && (
        <p class="empty">{t('changes.empty')}</p>
      )}
      {changes.data?.map((change) => {
        const own = change.author === session.label;
        return (
          <article key={change.id} class="change-request" aria-label={change.id}>
            <h2>
              {t(`changes.action.${change.action}`)}{' '}
              <code>{change.group ?? (change.groups ?? []).join(', ')}</code>{' '}
              <span class="badge">{t(`changes.status.${change.status}`)}</span>
            </h2>
            <p class="muted">
              {t('changes.meta', {
                id: change.id,
                author: change.author,
                env: change.env,
                version: change.baseVersion === null ? '–' : String(change.baseVersion),
              })}
              {change.outcome && change.outcome !== change.status && ` — ${change.outcome}`}
            </p>
            <DiffTable entries={change.diff} />
            {change.status === 'pending' && canDecide && (
              <div class="actions">
                {!own && (
                  <button
                    type="button"
                    class="primary"
                    disabled={busy}
                    onClick={() => void decide(change, 'approve')}
                  >
                    {t('changes.approve')}
                  </button>
                )}
                <button type="button" disabled={busy} onClick={() => void decide(change, 'reject')}>
                  {t('changes.reject')}
                </button>
                {own && (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => void decide(change, 'withdraw')}
                  >
                    {t('changes.withdraw')}
                  </button>
                )}
                {own && <span class="muted">{t('changes.ownRequest')}</span>}
              </div>
            )}
          </article>
        );
      })}
    </section>
  );
}
