import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { useApi } from '../api/api-context';
import type { HistoryEntry } from '../api/api-types';
import { errorText } from '../common/error-text';
import { ModalDialog } from '../common/modal-dialog';
import { JsonDiff } from '../diff/json-diff.view';
import { useI18n } from '../i18n/i18n';

interface RollbackProps {
  name: string;
  target: HistoryEntry;
  current: HistoryEntry;
  onClose: () => void;
  onDone: (newVersion: number) => void;
  onStale: (error: ApiError) => void;
}

/** Confirms a rollback, showing what it changes; it is refused if the group moved on meanwhile. */
export function RollbackDialog({ name, target, current, onClose, onDone, onStale }: RollbackProps) {
  const { t } = useI18n();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = (version: number) => t('history.versionLabel', { version });

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const record = await api.rollback(name, target.version, current.version);
      onDone(record.version);
    } catch (caught) {
      if (caught instanceof ApiError && caught.isConflict) onStale(caught);
      else {
        setError(errorText(caught, t));
        setBusy(false);
      }
    }
  };

  return (
    <ModalDialog
      title={t('history.rollback', { version: label(target.version) })}
      onClose={onClose}
      wide
    >
      <p>{t('history.rollbackConfirm', { name, version: label(target.version) })}</p>
      <JsonDiff
        before={current.config}
        after={target.config}
        beforeDigests={current.secretDigests}
        afterDigests={target.secretDigests}
        label={`${label(current.version)} → ${label(target.version)}`}
      />
      {error && (
        <p role="alert" class="error-text">
          {error}
        </p>
      )}
      <div class="button-row">
        <button type="button" class="primary" disabled={busy} onClick={() => void confirm()}>
          {t('history.rollback', { version: label(target.version) })}
        </button>
        <button type="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </ModalDialog>
  );
}
