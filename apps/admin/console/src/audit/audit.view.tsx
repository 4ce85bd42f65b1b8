import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import { AUDIT_ACTIONS, type AuditAction, type AuditFilter } from '../api/api-types';
import { errorText } from '../common/error-text';
import { useNotice } from '../common/notice';
import { saveDownload } from '../common/save-download';
import { TimeStamp } from '../common/time-stamp';
import { useLoad } from '../common/use-load';
import { useI18n } from '../i18n/i18n';

/** Entries shown when no limit is given (the server's default too). */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;

/**
 * The audit log (admin only): who wrote, revealed or was refused what, newest first, with the
 * server's filters, and a download of the same selection as JSON lines. It holds names of keys,
 * never values, and token labels, never tokens.
 */
export function AuditView() {
  const { t } = useI18n();
  const api = useApi();
  const notify = useNotice();
  const [draft, setDraft] = useState({ group: '', actor: '', action: '', limit: '' });
  const [filter, setFilter] = useState<AuditFilter>({ limit: DEFAULT_LIMIT });
  const [limitError, setLimitError] = useState(false);
  const [busy, setBusy] = useState(false);
  const audit = useLoad(() => api.audit(filter), [filter]);

  const apply = (event: Event) => {
    event.preventDefault();
    const limit = draft.limit.trim() === '' ? DEFAULT_LIMIT : Number(draft.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      setLimitError(true);
      return;
    }
    setLimitError(false);
    setFilter({
      group: draft.group.trim() || undefined,
      actor: draft.actor.trim() || undefined,
      action: (draft.action || undefined) as AuditAction | undefined,
      limit,
    });
  };

  const download = async () => {
    setBusy(true);
    try {
      const file = await api.downloadAudit(filter);
      saveDownload(file);
      notify({ kind: 'success', text: t('audit.downloaded', { file: file.fileName }) });
    } catch (caught) {
      notify({ kind: 'error', text: errorText(caught, t) });
    } finally {
      setBusy(false);
    }
  };

  const entries = audit.data ?? [];
  const field = (name: keyof typeof draft) => ({
    name,
    value: draft[name],
    onInput: (event: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
      setDraft({ ...draft, [name]: event.currentTarget.value }),
  });
  return (
    <section aria-labelledby="audit-title">
      <div class="toolbar">
        <h1 id="audit-title">{t('audit.title')}</h1>
        <button type="button" onClick={() => void audit.reload()}>
          {t('groups.refresh')}
        </button>
        <button type="button" disabled={busy} onClick={() => void download()}>
          {t('audit.download')}
        </button>
      </div>
      <p class="muted">{t('audit.intro')}</p>
      <form class="audit-filters" onSubmit={apply} aria-label={t('audit.filters')} noValidate>
        <label class="field inline">
          <span>{t('audit.col.group')}</span>
          <input type="search" maxLength={1024} autoComplete="off" {...field('group')} />
        </label>
        <label class="field inline">
          <span>{t('audit.col.actor')}</span>
          <input type="search" maxLength={64} autoComplete="off" {...field('actor')} />
        </label>
        <label class="field inline">
          <span>{t('audit.col.action')}</span>
          <select {...field('action')}>
            <option value="">{t('audit.anyAction')}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(`audit.action.${action}`)}
              </option>
            ))}
          </select>
        </label>
        <label class="field inline">
          <span>{t('audit.limit')}</span>
          <input
            type="number"
            min={1}
            max={MAX_LIMIT}
            placeholder={String(DEFAULT_LIMIT)}
            aria-invalid={limitError}
            {...field('limit')}
          />
        </label>
        <button type="submit" class="primary">
          {t('audit.apply')}
        </button>
        {limitError && (
          <p role="alert" class="error-text">
            {t('audit.badLimit', { max: MAX_LIMIT })}
          </p>
        )}
      </form>

      {audit.error !== null && (
        <div role="alert" class="error-box">
          <p>{errorText(audit.error, t)}</p>
          <button type="button" onClick={() => void audit.reload()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {audit.data === null && audit.error === null && <p class="muted">{t('common.loading')}</p>}
      {audit.data !== null && entries.length === 0 && <p class="empty">{t('audit.empty')}</p>}
      {entries.length > 0 && (
        <table class="data-table audit-table">
          <caption class="visually-hidden">{t('audit.count', { count: entries.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.col.at')}</th>
              <th scope="col">{t('audit.col.action')}</th>
              <th scope="col">{t('audit.col.actor')}</th>
              <th scope="col">{t('audit.col.group')}</th>
              <th scope="col">{t('audit.col.versions')}</th>
              <th scope="col">{t('audit.col.keys')}</th>
              <th scope="col">{t('audit.col.request')}</th>
              <th scope="col">{t('audit.col.address')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, index) => (
              <tr key={`${entry.at}-${index}`} class="audit-row" data-action={entry.action}>
                <td data-label={t('audit.col.at')}>
                  <TimeStamp iso={entry.at} />
                </td>
                <td data-label={t('audit.col.action')}>
                  <span class={`badge audit-${entry.action}`}>
                    {t(`audit.action.${entry.action}`)}
                  </span>
                </td>
                <td data-label={t('audit.col.actor')}>
                  {entry.actor ?? <span class="muted">{t('audit.noActor')}</span>}
                  {entry.role && <span class="badge">{t(`role.${entry.role}`)}</span>}
                </td>
                <td data-label={t('audit.col.group')}>
                  {entry.group ?? entry.groups?.join(', ') ?? ''}
                </td>
                <td data-label={t('audit.col.versions')}>{versions(entry)}</td>
                <td data-label={t('audit.col.keys')}>{entry.keys.join(', ')}</td>
                <td data-label={t('audit.col.request')}>
                  <code>{`${entry.method} ${entry.path}`}</code> → {entry.status}
                </td>
                <td data-label={t('audit.col.address')}>{entry.address ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function versions(entry: { fromVersion: number | null; toVersion: number | null }): string {
  if (entry.fromVersion === null && entry.toVersion === null) return '';
  if (entry.fromVersion === null) return `v${entry.toVersion}`;
  return `v${entry.fromVersion} → v${entry.toVersion ?? '–'}`;
}
