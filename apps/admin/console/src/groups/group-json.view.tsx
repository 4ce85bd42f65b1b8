import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context';
import { errorText } from '../common/error-text';
import { prettyJson } from '../common/json-text';
import { RevealToggle } from '../common/reveal-toggle.view';
import { useLoad } from '../common/use-load';
import { useI18n } from '../i18n/i18n';

/** The stored JSON of one group, fetched when its row is expanded (the list has no configs). */
export function GroupJson({ name, version }: { name: string; version: number }) {
  const { t } = useI18n();
  const api = useApi();
  const [reveal, setReveal] = useState(false);
  const { data, error, loading } = useLoad(
    () => api.getGroup(name, reveal),
    [name, version, reveal],
  );
  if (error) return <p class="error-text">{errorText(error, t)}</p>;
  if (!data) return <p class="muted">{t('common.loading')}</p>;
  return (
    <>
      <RevealToggle
        revealed={reveal}
        onChange={setReveal}
        relevant={Object.keys(data.secretDigests ?? {}).length > 0}
        disabled={loading}
      />
      <pre class="json-view" tabIndex={0} aria-label={name}>
        {prettyJson(data.config)}
      </pre>
    </>
  );
}
