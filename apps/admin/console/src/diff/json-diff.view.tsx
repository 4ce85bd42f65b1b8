import { useI18n } from '../i18n/i18n';
import { canonicalJson } from '../common/json-text';
import { hasChanges, lineDiff } from './line-diff';
import { markChangedSecrets } from './secret-changes';

interface JsonDiffProps {
  before: unknown;
  after: unknown;
  /** `secretDigests` of the masked answers the sides come from: a changed secret shows as such. */
  beforeDigests?: Record<string, string>;
  afterDigests?: Record<string, string>;
  /** Accessible name of the diff, e.g. "v3 → v5". */
  label: string;
}

/** The difference between two JSON values, line by line (keys sorted, so order is no change). */
export function JsonDiff({ before, after, beforeDigests, afterDigests, label }: JsonDiffProps) {
  const { t } = useI18n();
  const shownAfter = markChangedSecrets(
    before,
    after,
    { before: beforeDigests, after: afterDigests },
    t('diff.secretChanged'),
  );
  const lines = lineDiff(
    before === undefined ? '' : canonicalJson(before),
    shownAfter === undefined ? '' : canonicalJson(shownAfter),
  );
  if (!hasChanges(lines)) {
    return (
      <p class="diff-same" role="note" aria-label={label}>
        {t('diff.same')}
      </p>
    );
  }
  return (
    <figure class="diff" aria-label={label}>
      <figcaption class="visually-hidden">{t('diff.legend')}</figcaption>
      <pre class="diff-lines">
        {lines.map((line, index) =>
          line.kind === 'skipped' ? (
            <span key={index} class="diff-line diff-skipped">
              <span aria-hidden="true">⋯ </span>
              {t('diff.skipped', { count: line.count ?? 0 })}
              {'\n'}
            </span>
          ) : (
            <span key={index} class={`diff-line diff-${line.kind}`}>
              <span class="diff-mark" aria-hidden="true">
                {line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '}
              </span>
              {line.kind === 'added' && <ins>{line.text}</ins>}
              {line.kind === 'removed' && <del>{line.text}</del>}
              {line.kind === 'same' && line.text}
              {'\n'}
            </span>
          ),
        )}
      </pre>
    </figure>
  );
}
