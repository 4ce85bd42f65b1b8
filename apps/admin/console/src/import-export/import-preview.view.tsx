import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { JsonDiff } from '../diff/json-diff.view';
import { useI18n } from '../i18n/i18n';
import type { FileEntry } from './import-file';
import type { Preview } from './import-panel.view';

interface ImportPreviewProps {
  preview: Preview;
  busy: boolean;
  onApply: (picked: FileEntry[]) => void;
}

/** Per group: new / changed / unchanged, a diff on demand, and a checkbox to pick it. */
export function ImportPreview({ preview, busy, onApply }: ImportPreviewProps) {
  const { t } = useI18n();
  const actionOf = (name: string) => preview.plan.find((entry) => entry.name === name);
  const [picked, setPicked] = useState<Set<string>>(
    () =>
      new Set(
        preview.plan.filter((entry) => entry.action !== 'unchanged').map((entry) => entry.name),
      ),
  );
  const [open, setOpen] = useState<Set<string>>(new Set());
  const flip = (set: Set<string>, name: string) => {
    const next = new Set(set);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    return next;
  };
  const chosen = preview.entries.filter((entry) => picked.has(entry.name));

  return (
    <div class="import-preview">
      <h3>{t('transfer.previewTitle', { file: preview.fileName })}</h3>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{t('transfer.col.apply')}</th>
            <th scope="col">{t('transfer.col.group')}</th>
            <th scope="col">{t('transfer.col.action')}</th>
            <th scope="col">{t('transfer.col.versions')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('transfer.showDiff')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {preview.entries.map((entry, index) => {
            const plan = actionOf(entry.name);
            const action = plan?.action ?? 'create';
            const diffId = `import-diff-${index}`;
            return (
              <Fragment key={`${index}:${entry.name}`}>
                <tr data-group={entry.name} data-action={action}>
                  <td data-label={t('transfer.col.apply')}>
                    <input
                      type="checkbox"
                      aria-label={t('transfer.pick', { name: entry.name })}
                      checked={picked.has(entry.name)}
                      disabled={action === 'unchanged' || busy}
                      onChange={() => setPicked(flip(picked, entry.name))}
                    />
                  </td>
                  <th scope="row" data-label={t('transfer.col.group')}>
                    {entry.name}
                  </th>
                  <td data-label={t('transfer.col.action')}>
                    <span class={`badge action-${action}`}>{t(`transfer.action.${action}`)}</span>
                  </td>
                  <td data-label={t('transfer.col.versions')}>
                    {plan?.currentVersion ?? '–'} → {plan?.newVersion ?? '–'}
                  </td>
                  <td class="actions">
                    {action !== 'unchanged' && (
                      <button
                        type="button"
                        aria-expanded={open.has(entry.name)}
                        aria-controls={diffId}
                        onClick={() => setOpen(flip(open, entry.name))}
                      >
                        {t('transfer.showDiff')}
                      </button>
                    )}
                  </td>
                </tr>
                {open.has(entry.name) && (
                  <tr id={diffId} class="detail-row">
                    <td colSpan={5}>
                      <JsonDiff
                        before={preview.current.get(entry.name) ?? {}}
                        after={entry.config}
                        label={entry.name}
                      />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      <p class="muted">{t('transfer.allOrNothing')}</p>
      {chosen.length === 0 && <p class="muted">{t('transfer.applyNone')}</p>}
      <button
        type="button"
        class="primary"
        disabled={busy || chosen.length === 0}
        onClick={() => onApply(chosen)}
      >
        {t('transfer.apply', { count: chosen.length })}
      </button>
    </div>
  );
}
