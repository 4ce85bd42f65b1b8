import { useI18n } from '../i18n/i18n';
import { absoluteTime, relativeTime } from './time-text';

/** A relative time ("3 min ago") with the exact time as its tooltip and machine value. */
export function TimeStamp({ iso, now }: { iso: string | null; now?: number }) {
  const { t, language } = useI18n();
  if (!iso) return <span class="muted">{t('common.never')}</span>;
  return (
    <time dateTime={iso} title={absoluteTime(iso, language)}>
      {relativeTime(iso, t, now)}
    </time>
  );
}
