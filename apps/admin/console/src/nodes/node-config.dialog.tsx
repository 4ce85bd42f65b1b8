import { useApi } from '../api/api-context';
import { ApiError } from '../api/api-error';
import type { GroupRecord, NodeInfo } from '../api/api-types';
import { errorText } from '../common/error-text';
import { ModalDialog } from '../common/modal-dialog';
import { useLoad } from '../common/use-load';
import { useI18n } from '../i18n/i18n';
import { layerGroups, sourceNames } from './effective-config';

/**
 * A node's effective config with each key's source, rebuilt from the stored groups it names in
 * its heartbeat (the admin cannot read a node's memory): a version the node does not run yet is
 * flagged, so what is shown is what the node runs once it catches up.
 */
export function NodeConfigDialog({ node, onClose }: { node: NodeInfo; onClose: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const names = sourceNames(node);
  const groups = useLoad(
    () =>
      Promise.all(
        names.map((name) =>
          api.getGroup(name).catch((error: unknown) => {
            if (error instanceof ApiError && error.status === 404) return null;
            throw error;
          }),
        ),
      ),
    [node.id, names.join('\n')],
  );
  const running = new Map<string, number | null>(
    (node.shared ?? []).map((shared) => [shared.name, shared.version]),
  );
  if (node.group !== null) running.set(node.group, node.version);
  const stale = (groups.data ?? []).filter(
    (group): group is GroupRecord => group !== null && running.get(group.name) !== group.version,
  );

  return (
    <ModalDialog title={t('nodeConfig.title', { id: node.id })} onClose={onClose} wide>
      <p class="muted">{t('nodeConfig.sources', { sources: names.join(' → ') || '–' })}</p>
      {groups.error !== null && <p class="error-text">{errorText(groups.error, t)}</p>}
      {groups.data === null && groups.error === null && <p class="muted">{t('common.loading')}</p>}
      {stale.length > 0 && (
        <p class="warning-box">
          {t('nodeConfig.stale', {
            groups: stale.map((g) => `${g.name} v${g.version}`).join(', '),
          })}
        </p>
      )}
      {groups.data !== null && (
        <table class="data-table node-config-table">
          <thead>
            <tr>
              <th scope="col">{t('nodeConfig.col.key')}</th>
              <th scope="col">{t('nodeConfig.col.value')}</th>
              <th scope="col">{t('nodeConfig.col.source')}</th>
            </tr>
          </thead>
          <tbody>
            {layerGroups(groups.data).map(({ key, value, source }) => (
              <tr key={key} data-key={key}>
                <th scope="row">
                  <code>{key}</code>
                </th>
                <td>
                  <code>{JSON.stringify(value)}</code>
                </td>
                <td data-source={source}>{source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ModalDialog>
  );
}
