import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { useApi } from '../api/api-context';
import { useCan } from '../auth/session-context';
import type { HistoryEntry } from '../api/api-types';
import { errorText } from '../common/error-text';
import { RevealToggle } from '../common/reveal-toggle.view';
import { useNotice } from '../common/notice';
import { TimeStamp } from '../common/time-stamp';
import { useLoad } from '../common/use-load';
import { JsonDiff } from '../diff/json-diff.view';
import { useI18n } from '../i18n/i18n';
import { routeHref } from '../layout/route';
import { RollbackDialog } from './rollback.dialog';

/** Every kept version of a group, a diff between any two of them, and rollback. */
export function HistoryView({ name }: { name: string }) {
  const { t } = useI18n();
  const api = useApi();
  const notify = useNotice();
  const [reveal, setReveal] = useState(false);
  const history = useLoad(() => api.history(name, reveal), [name, reveal]);
  const canWrite = useCan('writer');
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [rollbackTo, setRollbackTo] = useState<HistoryEntry | null>(null);
  const entries = history.data ?? [];

  // By default compare the previous version with the current one.
  useEffect(() => {
    if (entries.length === 0) return;
    setTo(entries[0].version);
    setFrom(entries[Math.min(1, entries.length - 1)].version);
  }, [history.data]);

  const fromEntry = entries.find((entry) => entry.version === from);
  const toEntry = entries.find((entry) => entry.version === to);
  const versionLabel = (version: number) => t('history.versionLabel', { version });

  return (
    <section aria-labelledby="history-title">
      <div class="toolbar">
        <a class="button" href={routeHref({ page: 'groups' })}>
          ← {t('history.back')}
        </a>
        <h1 id="history-title">{t('history.title', { name })}</h1>
        <RevealToggle
          revealed={reveal}
          onChange={setReveal}
          relevant={entries.some((entry) => Object.keys(entry.secretDigests ?? {}).length > 0)}
          disabled={history.loading}
        />
      </div>
      {history.error !== null && (
        <div role="alert" class="error-box">
          <p>{errorText(history.error, t)}</p>
          <button type="button" onClick={() => void history.reload()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {history.data === null && history.error === null && (
        <p class="muted">{t('common.loading')}</p>
      )}
      {entries.length > 0 && (
        <>
          <table class="data-table history-table">
            <thead>
              <tr>
                <th scope="col">{t('history.col.version')}</th>
                <th scope="col">{t('history.col.updated')}</th>
                <th scope="col">{t('history.col.author')}</th>
                <th scope="col">{t('history.col.comment')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('groups.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.version} data-version={entry.version}>
                  <th scope="row" data-label={t('history.col.version')}>
                    {versionLabel(entry.version)}
                    {entry.current && <span class="badge">{t('history.current')}</span>}
                  </th>
                  <td data-label={t('history.col.updated')}>
                    <TimeStamp iso={entry.updatedAt} />
                  </td>
                  <td data-label={t('history.col.author')}>{entry.author ?? ''}</td>
                  <td data-label={t('history.col.comment')}>{entry.comment ?? ''}</td>
                  <td class="actions">
                    {!entry.current && canWrite && (
                      <button type="button" onClick={() => setRollbackTo(entry)}>
                        {t('history.rollback', { version: versionLabel(entry.version) })}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <div class="compare">
            <VersionSelect
              name="from"
              label={t('history.from')}
              value={from}
              entries={entries}
              versionLabel={versionLabel}
              onPick={setFrom}
            />
            <VersionSelect
              name="to"
              label={t('history.to')}
              value={to}
              entries={entries}
              versionLabel={versionLabel}
              onPick={setTo}
            />
          </div>
          {fromEntry && toEntry && (
            <JsonDiff
              before={fromEntry.config}
              after={toEntry.config}
              beforeDigests={fromEntry.secretDigests}
              afterDigests={toEntry.secretDigests}
              label={`${versionLabel(fromEntry.version)} → ${versionLabel(toEntry.version)}`}
            />
          )}
        </>
      )}
      {rollbackTo && entries[0] && (
        <RollbackDialog
          name={name}
          target={rollbackTo}
          current={entries[0]}
          onClose={() => setRollbackTo(null)}
          onDone={(version) => {
            setRollbackTo(null);
            notify({ kind: 'success', text: t('history.rolledBack', { name, version }) });
            void history.reload();
          }}
          onStale={(error: ApiError) => {
            setRollbackTo(null);
            notify({
              kind: 'error',
              text: t('history.stale', { version: error.currentVersion ?? '?' }),
            });
            void history.reload();
          }}
        />
      )}
    </section>
  );
}

/** One end of the comparison: a labelled choice among the kept versions. */
function VersionSelect(props: {
  name: string;
  label: string;
  value: number | null;
  entries: HistoryEntry[];
  versionLabel: (version: number) => string;
  onPick: (version: number) => void;
}) {
  return (
    <label class="field inline">
      <span>{props.label}</span>
      <select
        name={props.name}
        value={String(props.value)}
        onChange={(event) => props.onPick(Number(event.currentTarget.value))}
      >
        {props.entries.map((entry) => (
          <option key={entry.version} value={String(entry.version)}>
            {props.versionLabel(entry.version)}
          </option>
        ))}
      </select>
    </label>
  );
}
