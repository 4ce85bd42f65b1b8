import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { useApi } from '../api/api-context';
import type { ConfigDict } from '../api/api-types';
import { errorText } from '../common/error-text';
import { useI18n } from '../i18n/i18n';
import { routeHref } from '../layout/route';
import { parseSteps } from './rollout-types';

interface StartRolloutProps {
  name: string;
  config: ConfigDict;
  expectedVersion: number;
  comment?: string;
}

/**
 * In the editor's review step: roll the edit out instead of saving it at once. The nodes verify it
 * first; their reasons are shown when they refuse (422), else the page of the rollout opens.
 */
export function StartRolloutForm({ name, config, expectedVersion, comment }: StartRolloutProps) {
  const { t } = useI18n();
  const api = useApi();
  const [stepsText, setStepsText] = useState('34:60000, 100:60000');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refusals, setRefusals] = useState<{ nodeId: string; reason: string }[]>([]);
  const parsed = parseSteps(stepsText);

  const start = async () => {
    if (!('steps' in parsed)) return;
    setBusy(true);
    setError(null);
    setRefusals([]);
    try {
      await api.startRollout(name, { config, expectedVersion, steps: parsed.steps, comment });
      window.location.hash = routeHref({ page: 'rollout', name });
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 422) {
        const problems = (caught.body?.problems ?? []) as unknown as {
          nodeId: string;
          reason: string;
        }[];
        setRefusals(problems);
        setError(t('rollout.rejected'));
      } else setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset class="rollout-start">
      <legend>{t('rollout.startTitle')}</legend>
      <label class="field">
        <span>{t('rollout.stepsLabel')}</span>
        <input
          name="rollout-steps"
          value={stepsText}
          spellcheck={false}
          autoComplete="off"
          onInput={(event) => setStepsText(event.currentTarget.value)}
        />
      </label>
      {'bad' in parsed && <p class="error-text">{t('rollout.badStep', { part: parsed.bad })}</p>}
      <button type="button" disabled={busy || !('steps' in parsed)} onClick={() => void start()}>
        {busy ? t('rollout.verifying') : t('rollout.start')}
      </button>
      {error && (
        <div role="alert" class="error-text">
          <p>{error}</p>
          {refusals.length > 0 && (
            <ul data-testid="rollout-refusals">
              {refusals.map((refusal) => (
                <li key={refusal.nodeId}>
                  <strong>{refusal.nodeId}</strong>: {refusal.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </fieldset>
  );
}
