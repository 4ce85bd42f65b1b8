import { useApi } from '../api/api-context';
import { sharedFollowers } from '../api/api-types';
import { useLoad } from '../common/use-load';
import { useI18n } from '../i18n/i18n';

/** Which live nodes follow a group as a shared group, asked of the node registry when shown. */
export function SharedBy({ group }: { group: string }) {
  const { t } = useI18n();
  const api = useApi();
  const { data } = useLoad(async () => sharedFollowers(await api.nodes(), group), [group]);
  if (!data || data.length === 0) return null;
  return (
    <p class="shared-by" data-testid="shared-by">
      {t('groups.sharedNodes', { nodes: data.join(', ') })}
    </p>
  );
}
