import type { ConfigParse } from '../common/json-text';
import { useI18n } from '../i18n/i18n';

/** The live verdict under the JSON editor (announced politely to screen readers). */
export function ConfigStatus({ parse, id }: { parse: ConfigParse; id: string }) {
  const { t } = useI18n();
  let text: string;
  if (parse.ok) text = t('editor.valid', { count: Object.keys(parse.config).length });
  else if (parse.reason === 'syntax') text = t('editor.invalidJson', { message: parse.message });
  else text = t('editor.notObject', { kind: parse.kind });
  return (
    <p id={id} class={parse.ok ? 'field-status ok' : 'field-status bad'} aria-live="polite">
      {text}
    </p>
  );
}
