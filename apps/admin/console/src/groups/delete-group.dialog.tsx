import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import { sharedFollowers, type DeleteResult, type GroupSummary } from '../api/api-types';
import { errorText } from '../common/error-text';
import { ModalDialog } from '../common/modal-dialog';
import { useLoad } from '../common/use-load';
import { useI18n } from '../i18n/i18n';

interface DeleteGroupProps {
  group: GroupSummary;
  onClose: () => void;
  onDeleted: (result: DeleteResult) => void;
}

/** Confirms a delete, naming the nodes that hold the group now (they move to other groups). */
export function DeleteGroupDialog({ group, onClose, onDeleted }: DeleteGroupProps) {
  const { t } = useI18n();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The list may be seconds old: ask the live node registry which nodes hold it right now.
  const live = useLoad(async () => {
    const nodes = await api.nodes();
    return {
      holders: nodes.filter((node) => node.group === group.name).map((node) => node.id),
      followers: sharedFollowers(nodes, group.name),
    };
  }, [group.name]);
  const nodes = live.data?.holders ?? group.nodes ?? [];
  const followers = live.data?.followers ?? [];

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      onDeleted(await api.deleteGroup(group.name));
    } catch (caught) {
      setError(errorText(caught, t));
      setBusy(false);
    }
  };

  return (
    <ModalDialog title={t('delete.title', { name: group.name })} onClose={onClose}>
      <p>{t('delete.text')}</p>
      {live.data === null && live.error === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : nodes.length > 0 ? (
        <>
          <p>{t('delete.nodes', { count: nodes.length })}</p>
          <ul class="node-list" aria-label={t('delete.nodes', { count: nodes.length })}>
            {nodes.map((id) => (
              <li key={id}>
                <code>{id}</code>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="muted">{t('delete.noNodes')}</p>
      )}
      {followers.length > 0 && (
        <div role="alert" class="warning-box" data-testid="delete-shared-warning">
          <p>{t('delete.sharedNodes', { count: followers.length })}</p>
          <ul class="node-list">
            {followers.map((id) => (
              <li key={id}>
                <code>{id}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p role="alert" class="error-text">
          {error}
        </p>
      )}
      <div class="button-row">
        <button
          type="button"
          class="danger"
          // The nodes are named before the delete can be confirmed.
          disabled={busy || (live.data === null && live.error === null)}
          onClick={() => void confirm()}
        >
          {t('delete.confirm', { name: group.name })}
        </button>
        <button type="button" onClick={onClose} autoFocus>
          {t('common.cancel')}
        </button>
      </div>
    </ModalDialog>
  );
}
