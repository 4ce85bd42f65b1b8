import { useCan } from '../auth/session-context';
import { useI18n } from '../i18n/i18n';

interface RevealToggleProps {
  revealed: boolean;
  onChange: (revealed: boolean) => void;
  /** Whether the shown config holds secrets (masked) or is revealed now: else nothing to toggle. */
  relevant: boolean;
  disabled?: boolean;
}

/**
 * "Reveal secrets", for an admin only: the view is fetched again with `?reveal=true`, which the
 * server allows to admins alone and records in the audit log.
 */
export function RevealToggle({ revealed, onChange, relevant, disabled }: RevealToggleProps) {
  const { t } = useI18n();
  const canReveal = useCan('admin');
  if (!canReveal || (!relevant && !revealed)) return null;
  return (
    <label class="reveal-toggle">
      <input
        type="checkbox"
        name="reveal"
        checked={revealed}
        disabled={disabled}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      <span>{t('secrets.reveal')}</span>
      {revealed && <span class="badge warn">{t('secrets.revealedNote')}</span>}
    </label>
  );
}
