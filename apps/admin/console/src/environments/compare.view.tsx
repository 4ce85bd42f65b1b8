import { useEffect, useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import type { Comparison, EnvironmentInfo } from '../api/api-types';
import { useCan } from '../auth/session-context';
import { errorText } from '../common/error-text';
import { useNotice } from '../common/notice';
import { useI18n } from '../i18n/i18n';
import { routeHref } from '../layout/route';
import { DiffTable } from './diff-table.view';
import { EnvironmentOptions } from './environment-options.view';

/** Compare a group between two environments, and promote the chosen keys. */
export function CompareView({ name }: { name: string }) {
  const { t } = useI18n();
  const api = useApi();
  const notify = useNotice();
  const canWrite = useCan('writer');
  const [environments, setEnvironments] = useState<EnvironmentInfo[]>([]);
  const [group, setGroup] = useState(name);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.environments().then(
      (list) => {
        setEnvironments(list);
        setFrom(list[0]?.name ?? '');
        setTo(list[1]?.name ?? list[0]?.name ?? '');
      },
      (caught: unknown) => setError(errorText(caught, t)),
    );
  }, [api]);

  const compare = async (event?: Event) => {
    event?.preventDefault();
    setError(null);
    setComparison(null);
    if (!group.trim()) return;
    window.location.hash = routeHref({ page: 'compare', name: group.trim() });
    try {
      const result = await api.compare(group.trim(), from, to);
      setComparison(result);
      // Ticked by default: what the server promotes by default (differing, not secret).
      setChosen(
        new Set(result.keys.filter((k) => k.status !== 'same' && !k.secret).map((k) => k.key)),
      );
    } catch (caught) {
      setError(errorText(caught, t));
    }
  };

  useEffect(() => {
    if (name && from && to) void compare();
  }, [from, to]);

  const promote = async () => {
    if (!comparison) return;
    setBusy(true);
    try {
      const answer = await api.promote(group.trim(), {
        from,
        to,
        keys: [...chosen],
        expectedVersion: comparison.to.version ?? undefined,
      });
      notify({
        kind: 'success',
        text:
          answer.status === 'pending' && answer.id
            ? t('compare.requested', { id: answer.id, env: to })
            : t('compare.promoted', { count: answer.promotion?.keys.length ?? 0, env: to }),
      });
      await compare();
    } catch (caught) {
      notify({ kind: 'error', text: errorText(caught, t) });
    } finally {
      setBusy(false);
    }
  };

  const toggle = (key: string) => {
    const next = new Set(chosen);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setChosen(next);
  };
  const envSelect = (value: string, set: (value: string) => void, label: string) => (
    <label class="field inline">
      <span>{label}</span>
      <select value={value} onChange={(event) => set((event.target as HTMLSelectElement).value)}>
        <EnvironmentOptions environments={environments} />
      </select>
    </label>
  );

  return (
    <section aria-labelledby="compare-title">
      <div class="toolbar">
        <h1 id="compare-title">{t('compare.title')}</h1>
      </div>
      <form class="audit-filters" onSubmit={(event) => void compare(event)}>
        <label class="field inline">
          <span>{t('compare.group')}</span>
          <input
            type="search"
            required
            value={group}
            onInput={(event) => setGroup((event.target as HTMLInputElement).value)}
          />
        </label>
        {envSelect(from, setFrom, t('compare.from'))}
        {envSelect(to, setTo, t('compare.to'))}
        <button type="submit" class="primary">
          {t('compare.run')}
        </button>
      </form>
      {error && (
        <p role="alert" class="error-box">
          {error}
        </p>
      )}
      {comparison && (
        <>
          <p class="muted">
            {t('compare.versions', {
              from: comparison.from.env,
              fromVersion: String(comparison.from.version ?? '–'),
              to: comparison.to.env,
              toVersion: String(comparison.to.version ?? '–'),
            })}
          </p>
          <DiffTable
            entries={comparison.keys}
            chosen={canWrite ? chosen : undefined}
            onToggle={toggle}
          />
          {canWrite && (
            <div class="actions">
              <button
                type="button"
                class="primary"
                disabled={busy || chosen.size === 0}
                onClick={() => void promote()}
              >
                {t('compare.promote', { count: chosen.size, env: to })}
              </button>
              <span class="muted">{t('compare.secretsStay')}</span>
            </div>
          )}
        </>
      )}
    </section>
  );
}
