import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import { errorText } from '../common/error-text';
import { useNotice } from '../common/notice';
import { saveDownload } from '../common/save-download';
import { useI18n } from '../i18n/i18n';

/** Downloads `GET /api/export` (the old project's file format) under the server's file name. */
export function ExportPanel() {
  const { t } = useI18n();
  const api = useApi();
  const notify = useNotice();
  const [busy, setBusy] = useState(false);

  const download = async () => {
    setBusy(true);
    try {
      const file = await api.downloadExport();
      saveDownload(file);
      notify({ kind: 'success', text: t('transfer.exported', { file: file.fileName }) });
    } catch (caught) {
      notify({ kind: 'error', text: errorText(caught, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="export-title">
      <h2 id="export-title">{t('transfer.exportTitle')}</h2>
      <p>{t('transfer.exportText')}</p>
      <button type="button" class="primary" disabled={busy} onClick={() => void download()}>
        {t('transfer.export')}
      </button>
    </section>
  );
}
