import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';

interface JsonEditorProps {
  /** The text it starts with; remount the editor (change its `key`) to load another text. */
  initialText: string;
  onChange: (text: string) => void;
  label: string;
  describedBy?: string;
}

/** The JSON editor of the group dialogs; CodeMirror is fetched on first use (its own chunk). */
export function JsonEditor({ initialText, onChange, label, describedBy }: JsonEditorProps) {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let destroyed = false;
    let destroy = () => undefined as void;
    void import('./json-editor-view').then(({ createJsonEditorView }) => {
      if (destroyed || !host.current) return;
      const attributes: Record<string, string> = { 'aria-label': label };
      if (describedBy) attributes['aria-describedby'] = describedBy;
      const view = createJsonEditorView({
        parent: host.current,
        text: initialText,
        attributes,
        onChange: (text) => changed.current(text),
      });
      destroy = () => view.destroy();
      setReady(true);
    });
    return () => {
      destroyed = true;
      destroy();
    };
    // The editor owns its text once mounted; the parent remounts it (new key) to load another.
  }, []);

  return (
    <div class="json-editor" aria-busy={!ready}>
      {!ready && <p class="muted editor-loading">{t('common.loading')}</p>}
      {/* CodeMirror owns this element's children; Preact never renders into it. */}
      <div ref={host} />
    </div>
  );
}
