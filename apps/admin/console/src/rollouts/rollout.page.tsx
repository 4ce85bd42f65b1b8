import { useEffect, useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import { errorText } from '../common/error-text';
import { useNotice } from '../common/notice';
import { TimeStamp } from '../common/time-stamp';
import { absoluteTime } from '../common/time-text';
import { useI18n } from '../i18n/i18n';
import { routeHref } from '../layout/route';
import type { RolloutView } from './rollout-types';

const RUNNING = ['verifying', 'canary'];

/**
 * The group's latest rollout, live (read every second while it runs): its steps, which node runs
 * which version, the problems canaries reported, and promote / abort.
 */
export function RolloutPage({ name }: { name: string }) {
  const { t, language } = useI18n();
  const api = useApi();
  const notify = useNotice();
  const [view, setView] = useState<RolloutView | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      // "No rollout yet" is the normal case of most groups: asked so that it is no 404.
      const latest = await api.latestRollout(name);
      setView(latest);
      setMissing(latest === null);
      setError(null);
    } catch (caught) {
      setError(errorText(caught, t));
    }
  };

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 1000);
    return () => clearInterval(timer);
  }, [name]);

  const act = async (action: 'promote' | 'abort') => {
    setBusy(true);
    try {
      setView(await api.rolloutAction(name, action));
      notify({
        kind: 'success',
        text: t(action === 'promote' ? 'rollout.promoted' : 'rollout.aborted', { name }),
      });
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  const running = view !== null && RUNNING.includes(view.status);
  return (
    <section aria-labelledby="rollout-title">
      <div class="toolbar">
        <a class="button" href={routeHref({ page: 'groups' })}>
          ← {t('history.back')}
        </a>
        <h1 id="rollout-title">{t('rollout.title', { name })}</h1>
      </div>
      {error && (
        <p role="alert" class="error-box">
          {error}
        </p>
      )}
      {missing && !view && <p class="muted">{t('rollout.none')}</p>}
      {!missing && !view && !error && <p class="muted">{t('common.loading')}</p>}
      {view && (
        <>
          <p data-testid="rollout-status" class={`rollout-status status-${view.status}`}>
            {t('rollout.summary', {
              id: view.id,
              status: t(`rollout.status.${view.status}`),
              from: view.baseVersion,
              to: view.version,
            })}
          </p>
          {view.steps.length > 0 && (
            <ol class="rollout-steps" aria-label={t('rollout.steps')}>
              {view.steps.map((step, index) => (
                <li
                  key={index}
                  aria-current={index + 1 === view.step && running ? 'step' : undefined}
                >
                  {t('rollout.step', {
                    percent: step.percent,
                    seconds: Math.round(step.bakeMs / 1000),
                  })}
                  {index + 1 === view.step && running && view.stepEndsAt && (
                    <>
                      {' '}
                      · {t('rollout.stepEnds')} {absoluteTime(view.stepEndsAt, language)}
                    </>
                  )}
                </li>
              ))}
            </ol>
          )}
          {view.outcome && <p class="muted">{t('rollout.outcome', { outcome: view.outcome })}</p>}
          {running && (
            <div class="button-row">
              <button
                type="button"
                class="primary"
                disabled={busy}
                onClick={() => void act('promote')}
              >
                {t('rollout.promote')}
              </button>
              <button type="button" disabled={busy} onClick={() => void act('abort')}>
                {t('rollout.abort')}
              </button>
            </div>
          )}
          <h2>{t('rollout.nodes')}</h2>
          <table class="data-table" data-testid="rollout-nodes">
            <thead>
              <tr>
                <th scope="col">{t('rollout.col.node')}</th>
                <th scope="col">{t('rollout.col.version')}</th>
                <th scope="col">{t('rollout.col.role')}</th>
              </tr>
            </thead>
            <tbody>
              {view.nodes.map((node) => (
                <tr key={node.id} data-node={node.id}>
                  <td>{node.id}</td>
                  <td>{node.version === null ? '–' : `v${node.version}`}</td>
                  <td>{node.canary ? t('rollout.canary') : t('rollout.stable')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {view.problems.length > 0 && (
            <>
              <h2>{t('rollout.problems')}</h2>
              <ul data-testid="rollout-problems">
                {view.problems.map((problem, index) => (
                  <li key={index}>
                    <strong>{problem.nodeId}</strong>: {problem.reason}
                    {problem.at && (
                      <>
                        {' '}
                        (<TimeStamp iso={problem.at} />)
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
