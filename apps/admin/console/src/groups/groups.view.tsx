import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import { useCan } from '../auth/session-context';
import type { GroupSummary } from '../api/api-types';
import { errorText } from '../common/error-text';
import { useNotice } from '../common/notice';
import { TimeStamp } from '../common/time-stamp';
import { useLoad } from '../common/use-load';
import { useI18n } from '../i18n/i18n';
import { routeHref } from '../layout/route';
import { DeleteGroupDialog } from './delete-group.dialog';
import { GroupEditorDialog } from './group-editor.dialog';
import { GroupJson } from './group-json.view';
import { SharedBy } from './shared-by.view';

type Dialog =
  { kind: 'create' } | { kind: 'edit'; name: string } | { kind: 'delete'; group: GroupSummary };

/** The list of groups: search, expandable JSON, and the create / edit / delete dialogs. */
export function GroupsView() {
  const { t } = useI18n();
  const api = useApi();
  const notify = useNotice();
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  // A reader is offered no write: the server would refuse it (403) anyway.
  const canWrite = useCan('writer');
  const groups = useLoad(() => api.listGroups(query), [query]);

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(search.trim()), 200);
    return () => clearTimeout(timer);
  }, [search]);

  // "/" jumps to the search box, as in many consoles.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key !== '/' || target.closest('input, textarea, [contenteditable="true"], dialog'))
        return;
      event.preventDefault();
      searchBox.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const toggle = (name: string) => {
    const next = new Set(expanded);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    setExpanded(next);
  };

  const list = groups.data ?? [];
  return (
    <section aria-labelledby="groups-title">
      <div class="toolbar">
        <h1 id="groups-title">{t('groups.title')}</h1>
        <label class="search">
          <span class="visually-hidden">{t('groups.search')}</span>
          <input
            ref={searchBox}
            type="search"
            name="search"
            value={search}
            placeholder={t('groups.searchPlaceholder')}
            aria-keyshortcuts="/"
            onInput={(event) => setSearch(event.currentTarget.value)}
          />
        </label>
        <button type="button" onClick={() => void groups.reload()}>
          {t('groups.refresh')}
        </button>
        {canWrite && (
          <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
            {t('groups.new')}
          </button>
        )}
      </div>

      {groups.error !== null && (
        <div role="alert" class="error-box">
          <p>{errorText(groups.error, t)}</p>
          <button type="button" onClick={() => void groups.reload()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {groups.data === null && groups.error === null && <p class="muted">{t('common.loading')}</p>}
      {groups.data !== null && list.length === 0 && (
        <p class="empty">{query ? t('groups.noMatch', { search: query }) : t('groups.empty')}</p>
      )}

      {list.length > 0 && (
        <table class="data-table groups-table">
          <caption class="visually-hidden">{t('groups.count', { count: list.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('groups.col.name')}</th>
              <th scope="col">{t('groups.col.version')}</th>
              <th scope="col">{t('groups.col.keys')}</th>
              <th scope="col">{t('groups.col.updated')}</th>
              <th scope="col">{t('groups.col.nodes')}</th>
              <th scope="col">{t('groups.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((group, index) => {
              const open = expanded.has(group.name);
              const detailId = `group-json-${index}`;
              return (
                <Fragment key={group.name}>
                  <tr class="group-row" data-group={group.name}>
                    <th scope="row" data-label={t('groups.col.name')}>
                      <button
                        type="button"
                        class="expander"
                        aria-expanded={open}
                        aria-controls={detailId}
                        title={t('groups.expand', { name: group.name })}
                        onClick={() => toggle(group.name)}
                      >
                        <span class="chevron" aria-hidden="true">
                          {open ? '▾' : '▸'}
                        </span>
                        <span class="group-name">{group.name}</span>
                      </button>
                    </th>
                    <td data-label={t('groups.col.version')}>{group.version}</td>
                    <td data-label={t('groups.col.keys')}>{group.keyCount}</td>
                    <td data-label={t('groups.col.updated')}>
                      <TimeStamp iso={group.updatedAt} />
                    </td>
                    <td data-label={t('groups.col.nodes')}>
                      {group.nodeCount}
                      {(group.sharedNodeCount ?? 0) > 0 && (
                        <span
                          class="badge shared-count"
                          title={t('groups.sharedByTitle', { count: group.sharedNodeCount ?? 0 })}
                        >
                          {t('groups.sharedBy', { count: group.sharedNodeCount ?? 0 })}
                        </span>
                      )}
                    </td>
                    <td data-label={t('groups.col.actions')} class="actions">
                      {canWrite && (
                        <button
                          type="button"
                          onClick={() => setDialog({ kind: 'edit', name: group.name })}
                        >
                          {t('groups.edit')}
                        </button>
                      )}
                      <a class="button" href={routeHref({ page: 'history', name: group.name })}>
                        {t('groups.history')}
                      </a>
                      <a class="button" href={routeHref({ page: 'rollout', name: group.name })}>
                        {t('groups.rollout')}
                      </a>
                      {canWrite && (
                        <button
                          type="button"
                          class="danger"
                          onClick={() => setDialog({ kind: 'delete', group })}
                        >
                          {t('groups.delete')}
                        </button>
                      )}
                    </td>
                  </tr>
                  {open && (
                    <tr class="detail-row" id={detailId}>
                      <td colSpan={6}>
                        {(group.sharedNodeCount ?? 0) > 0 && <SharedBy group={group.name} />}
                        <GroupJson name={group.name} version={group.version} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}

      {dialog?.kind === 'create' || dialog?.kind === 'edit' ? (
        <GroupEditorDialog
          name={dialog.kind === 'edit' ? dialog.name : null}
          onClose={() => setDialog(null)}
          onSaved={(record) => {
            setDialog(null);
            notify({
              kind: 'success',
              text: t('groups.saved', { name: record.name, version: record.version }),
            });
            void groups.reload();
          }}
        />
      ) : null}
      {dialog?.kind === 'delete' && (
        <DeleteGroupDialog
          group={dialog.group}
          onClose={() => setDialog(null)}
          onDeleted={(result) => {
            setDialog(null);
            const movedNodes = result.movedNodes ?? result.reassignedNodes ?? [];
            const moved = movedNodes.length
              ? ` ${t('groups.movedNodes', { nodes: movedNodes.join(', ') })}`
              : '';
            notify({ kind: 'success', text: t('groups.deleted', { name: result.name }) + moved });
            void groups.reload();
          }}
        />
      )}
    </section>
  );
}
