import { useApi } from '../api/api-context';
import type { GroupSummary, NodeInfo } from '../api/api-types';
import { errorText } from '../common/error-text';
import { TimeStamp } from '../common/time-stamp';
import { useI18n } from '../i18n/i18n';
import { useState } from 'preact/hooks';
import { BarChart } from './bar-chart.view';
import { NodeConfigDialog } from './node-config.dialog';
import { hostAndPid, isBehind, latestVersions, nodesPerAddress, nodesPerGroup } from './node-stats';
import { usePolling } from './use-polling';

const POLL_MS = 2000;

interface Snapshot {
  nodes: NodeInfo[];
  groups: GroupSummary[];
}

/** Live nodes (polled every 2 s): who holds which group and version, and the balance. */
export function NodesView() {
  const { t } = useI18n();
  const api = useApi();
  const live = usePolling<Snapshot>(async () => {
    const [nodes, groups] = await Promise.all([api.nodes(), api.listGroups()]);
    return { nodes, groups };
  }, POLL_MS);
  const nodes = live.data?.nodes ?? [];
  const groups = live.data?.groups ?? [];
  const latest = latestVersions(groups);
  const behind = nodes.filter((node) => isBehind(node, latest)).length;

  return (
    <section aria-labelledby="nodes-title">
      <div class="toolbar">
        <h1 id="nodes-title">{t('nodes.title')}</h1>
        <p class="live-status" aria-live="off">
          <span class={live.paused ? 'live-dot paused' : 'live-dot'} aria-hidden="true" />
          {live.paused ? t('nodes.paused') : t('nodes.live', { seconds: POLL_MS / 1000 })}
          {live.updatedAt !== null && (
            <span class="muted">
              {' · '}
              {t('nodes.lastUpdate', { time: new Date(live.updatedAt).toLocaleTimeString() })}
            </span>
          )}
        </p>
      </div>
      {live.error !== null && (
        <p role="alert" class="error-box">
          {errorText(live.error, t)}
        </p>
      )}
      {live.data === null && live.error === null && <p class="muted">{t('common.loading')}</p>}
      {live.data !== null && (
        <>
          <p class="summary" data-testid="nodes-summary">
            {t('nodes.summary', { nodes: nodes.length, behind })}
          </p>
          <h2>{t('nodes.chartTitle')}</h2>
          <BarChart
            bars={nodesPerGroup(groups, nodes, t('nodes.noGroup'))}
            title={t('nodes.chartTitle')}
            description={t('nodes.chartLabel')}
            sharedText={(count) => t('nodes.chartShared', { count })}
            itemText={(bar) =>
              bar.muted
                ? `${bar.label}: ${bar.value}`
                : t('nodes.chartItem', {
                    group: bar.label,
                    holding: bar.value,
                    shared: bar.shared ?? 0,
                  })
            }
          />
          {nodes.length === 0 ? (
            <p class="empty">{t('nodes.empty')}</p>
          ) : (
            <NodesTable nodes={nodes} latest={latest} now={live.updatedAt ?? Date.now()} />
          )}
        </>
      )}
    </section>
  );
}

function NodesTable({
  nodes,
  latest,
  now,
}: {
  nodes: NodeInfo[];
  latest: Map<string, number>;
  now: number;
}) {
  const { t } = useI18n();
  const [inspected, setInspected] = useState<NodeInfo | null>(null);
  const perAddress = nodesPerAddress(nodes);
  return (
    <>
      <table class="data-table nodes-table">
        <thead>
          <tr>
            <th scope="col">{t('nodes.col.id')}</th>
            <th scope="col">{t('nodes.col.address')}</th>
            <th scope="col">{t('nodes.col.group')}</th>
            <th scope="col">{t('nodes.col.version')}</th>
            <th scope="col">{t('nodes.col.applied')}</th>
            <th scope="col">{t('nodes.col.holding')}</th>
            <th scope="col">{t('nodes.col.shared')}</th>
            <th scope="col">{t('nodes.col.heartbeat')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('nodes.inspect')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((node) => {
            const stale = isBehind(node, latest);
            return (
              <tr
                key={node.id}
                data-node={node.id}
                data-group={node.group ?? ''}
                class={stale ? 'behind' : ''}
              >
                <th scope="row" data-label={t('nodes.col.id')}>
                  <code>{node.id}</code>
                </th>
                <td data-label={t('nodes.col.address')} class="node-address">
                  <NodeAddress node={node} sharing={perAddress.get(node.address) ?? 1} />
                </td>
                <td data-label={t('nodes.col.group')}>
                  {node.group ?? <span class="muted">{t('nodes.noGroup')}</span>}
                  {node.group !== node.requestedGroup && (
                    <span class="muted small">
                      {' '}
                      ({t('nodes.requested', { group: node.requestedGroup })})
                    </span>
                  )}
                </td>
                <td data-label={t('nodes.col.version')}>
                  {node.version ?? '–'}
                  {stale && (
                    <span class="badge warn">
                      {t('nodes.behind', { latest: latest.get(node.group ?? '') ?? '' })}
                    </span>
                  )}
                </td>
                <td data-label={t('nodes.col.applied')} data-testid="node-applied">
                  <TimeStamp iso={node.appliedAt ?? null} now={now} />
                </td>
                <td data-label={t('nodes.col.holding')}>
                  <span class={`badge holding-${node.holding}`}>
                    {t(`nodes.holding.${node.holding}`)}
                  </span>
                </td>
                <td data-label={t('nodes.col.shared')} class="node-shared">
                  {(node.shared ?? []).length === 0 ? (
                    <span class="muted">–</span>
                  ) : (
                    (node.shared ?? []).map((shared) => (
                      <span key={shared.name} class="badge" data-shared={shared.name}>
                        {shared.name}{' '}
                        {shared.version === null ? t('nodes.sharedMissing') : `v${shared.version}`}
                      </span>
                    ))
                  )}
                </td>
                <td data-label={t('nodes.col.heartbeat')}>
                  <TimeStamp iso={node.heartbeatAt} now={now} />
                </td>
                <td class="actions">
                  <button
                    type="button"
                    aria-label={`${t('nodes.inspect')}: ${node.id}`}
                    onClick={() => setInspected(node)}
                  >
                    {t('nodes.inspect')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {inspected && <NodeConfigDialog node={inspected} onClose={() => setInspected(null)} />}
    </>
  );
}

/**
 * The address, and what tells the node apart from others there: its host name and process id
 * (from a node id of the default form), else how many nodes share the address (the Node column
 * names each).
 */
function NodeAddress({ node, sharing }: { node: NodeInfo; sharing: number }) {
  const { t } = useI18n();
  const origin = hostAndPid(node);
  return (
    <>
      {node.address || '–'}
      {origin ? (
        <span class="muted small node-origin">
          {t('nodes.hostPid', { host: origin.host, pid: origin.pid })}
        </span>
      ) : (
        sharing > 1 && (
          <span class="muted small node-origin">{t('nodes.sameAddress', { count: sharing })}</span>
        )
      )}
    </>
  );
}
