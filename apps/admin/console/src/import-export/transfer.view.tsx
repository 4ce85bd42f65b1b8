import { useCan } from '../auth/session-context';
import { useI18n } from '../i18n/i18n';
import { ExportPanel } from './export-panel.view';
import { ImportPanel } from './import-panel.view';

export function TransferView() {
  const { t } = useI18n();
  // Import writes (writer and up); a reader may still export (masked).
  const canImport = useCan('writer');
  return (
    <section aria-labelledby="transfer-title">
      <h1 id="transfer-title">{t('nav.transfer')}</h1>
      <div class="panels">
        {canImport && <ImportPanel />}
        <ExportPanel />
      </div>
    </section>
  );
}
