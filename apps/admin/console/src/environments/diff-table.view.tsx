import type { KeyStatus } from '../api/api-types';
import { useI18n } from '../i18n/i18n';

/** One key of a comparison or a change's diff; a secret key carries no value. */
export interface KeyDiff {
  key: string;
  status: KeyStatus;
  secret: boolean;
  from?: unknown;
  to?: unknown;
}

const shown = (value: unknown) => (value === undefined ? '–' : JSON.stringify(value));

/** Key, status, before and after; a secret's values are never sent, and said to be hidden. */
export function DiffTable({
  entries,
  chosen,
  onToggle,
}: {
  entries: KeyDiff[];
  /** With a choice of keys (promote): which are ticked. */
  chosen?: Set<string>;
  onToggle?: (key: string) => void;
}) {
  const { t } = useI18n();
  return (
    <table class="data-table diff-table">
      <thead>
        <tr>
          {chosen && <th scope="col">{t('compare.col.promote')}</th>}
          <th scope="col">{t('compare.col.key')}</th>
          <th scope="col">{t('compare.col.status')}</th>
          <th scope="col">{t('compare.col.from')}</th>
          <th scope="col">{t('compare.col.to')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.key} class={`diff-${entry.status}`}>
            {chosen && (
              <td>
                <input
                  type="checkbox"
                  aria-label={t('compare.choose', { key: entry.key })}
                  checked={chosen.has(entry.key)}
                  disabled={entry.status === 'same'}
                  onChange={() => onToggle?.(entry.key)}
                />
              </td>
            )}
            <th scope="row">
              <code>{entry.key}</code>
              {entry.secret && <span class="badge warn">{t('compare.secret')}</span>}
            </th>
            <td>{t(`compare.status.${entry.status}`)}</td>
            <td>
              <code>{entry.secret ? t('compare.hidden') : shown(entry.from)}</code>
            </td>
            <td>
              <code>{entry.secret ? t('compare.hidden') : shown(entry.to)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
