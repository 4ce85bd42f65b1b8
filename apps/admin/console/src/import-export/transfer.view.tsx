import { useI18n } from '../i18n/i18n';
import { ExportPanel } from './export-panel.view';
import { ImportPanel } from './import-panel.view';

export function TransferView() {
  const { t } = useI18n();
  return (
    <section aria-labelledby="transfer-title">
      <h1 id="transfer-title">{t('nav.transfer')}</h1>
      <div class="panels">
        <ImportPanel />
        <ExportPanel />
      </div>
    </section>
  );
}
