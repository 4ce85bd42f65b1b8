import { ApiError } from '../api/api-error';
import type { Translate } from '../i18n/i18n';

/** One readable line for a failed call, with the fields the server named. */
export function errorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('common.networkError', { message: error.message });
    const changeId = error.changeRequestId;
    if (changeId !== null) return t('changes.requested', { id: changeId });
    if (error.isForbidden) return t('common.forbidden', { message: error.message });
    const problems = error.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    return t('common.error', {
      message: problems ? `${error.message} (${problems})` : error.message,
    });
  }
  return t('common.error', { message: error instanceof Error ? error.message : String(error) });
}
