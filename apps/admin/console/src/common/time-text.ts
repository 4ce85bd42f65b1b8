import type { Translate } from '../i18n/i18n';

/** "12 s ago" style text for a timestamp, relative to `now`. */
export function relativeTime(iso: string | null, t: Translate, now = Date.now()): string {
  if (!iso) return t('common.never');
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return t('time.secondsAgo', { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('time.minutesAgo', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('time.hoursAgo', { n: hours });
  return t('time.daysAgo', { n: Math.floor(hours / 24) });
}

/** The exact local date and time, for tooltips and `<time>` elements. */
export function absoluteTime(iso: string | null, language: string): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(language);
}
