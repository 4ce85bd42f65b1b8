import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { useApi } from '../api/api-context';
import type { ConfigDict, ImportPlanEntry, ImportResult } from '../api/api-types';
import { errorText } from '../common/error-text';
import { useI18n } from '../i18n/i18n';
import { type FileEntry, readImportFile } from './import-file';
import { ImportPreview } from './import-preview.view';

/** What the operator is looking at: a preview to pick from, or the result of an apply. */
export interface Preview {
  fileName: string;
  entries: FileEntry[];
  plan: ImportPlanEntry[];
  current: Map<string, ConfigDict>;
}

/**
 * Import in three steps: choose a file → preview per group (new / changed / unchanged, with the
 * diff) → apply only the picked groups, all-or-nothing. Nothing is written before "apply".
 */
export function ImportPanel() {
  const { t } = useI18n();
  const api = useApi();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [fileText, setFileText] = useState<{ name: string; text: string } | null>(null);

  const fail = (caught: unknown, lead?: string) => {
    setError(lead ?? errorText(caught, t));
    setProblems(
      caught instanceof ApiError ? caught.problems.map((p) => `${p.field}: ${p.message}`) : [],
    );
  };

  const runPreview = async (file: { name: string; text: string }) => {
    setBusy(true);
    setError(null);
    setProblems([]);
    setResult(null);
    setPreview(null);
    try {
      const read = readImportFile(file.text);
      if (!read.ok) {
        setError(
          read.error === 'json'
            ? t('transfer.badJson', { message: read.message })
            : t('transfer.notArray'),
        );
        return;
      }
      const [plan, stored] = await Promise.all([
        api.importGroups(
          read.entries.map((entry) => entry.raw),
          true,
        ),
        api.exportGroups(),
      ]);
      const current = new Map(stored.map((entry) => [entry.group_name, entry.config_dict ?? {}]));
      setPreview({ fileName: file.name, entries: read.entries, plan: plan.entries, current });
    } catch (caught) {
      fail(
        caught,
        caught instanceof ApiError && caught.status === 400 ? t('transfer.invalid') : undefined,
      );
    } finally {
      setBusy(false);
    }
  };

  const apply = async (picked: FileEntry[]) => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    setProblems([]);
    try {
      // The import route takes no expected versions: compare a fresh plan with the previewed one,
      // so a group changed since the preview is never overwritten unseen.
      const check = await api.importGroups(
        picked.map((entry) => entry.raw),
        true,
      );
      const moved = check.entries
        .filter((entry) => {
          const seen = preview.plan.find((planned) => planned.name === entry.name);
          return seen?.currentVersion !== entry.currentVersion;
        })
        .map((entry) => entry.name);
      if (moved.length) {
        setError(`${t('transfer.conflict')} (${moved.join(', ')})`);
        return;
      }
      setResult(
        await api.importGroups(
          picked.map((entry) => entry.raw),
          false,
        ),
      );
      setPreview(null);
    } catch (caught) {
      const conflict = caught instanceof ApiError && caught.isConflict;
      fail(caught, conflict ? t('transfer.conflict') : undefined);
    } finally {
      setBusy(false);
    }
  };

  const names = (list: string[]) => (list.length ? list.join(', ') : t('transfer.none'));

  return (
    <section class="panel" aria-labelledby="import-title">
      <h2 id="import-title">{t('transfer.importTitle')}</h2>
      <p>{t('transfer.importText')}</p>
      <label class="field">
        <span>{t('transfer.file')}</span>
        <input
          type="file"
          name="file"
          accept=".json,application/json"
          disabled={busy}
          onChange={async (event) => {
            const file = event.currentTarget.files?.[0];
            if (!file) return;
            const chosen = { name: file.name, text: await file.text() };
            setFileText(chosen);
            await runPreview(chosen);
          }}
        />
      </label>
      {busy && <p class="muted">{t('common.loading')}</p>}
      {error && (
        <div role="alert" class="error-box">
          <p>{error}</p>
          {problems.length > 0 && (
            <ul>
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          )}
          {fileText && (
            <button type="button" onClick={() => void runPreview(fileText)}>
              {t('transfer.again')}
            </button>
          )}
        </div>
      )}
      {preview && (
        <ImportPreview preview={preview} busy={busy} onApply={(picked) => void apply(picked)} />
      )}
      {result && (
        <div class="import-result" role="status">
          <h3>{t('transfer.resultTitle')}</h3>
          <p>{t('transfer.created', { names: names(result.created) })}</p>
          <p>{t('transfer.updated', { names: names(result.updated) })}</p>
          <p>{t('transfer.unchangedList', { names: names(result.unchanged) })}</p>
        </div>
      )}
    </section>
  );
}
