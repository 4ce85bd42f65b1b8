import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import { EditorView, basicSetup } from 'codemirror';
import { useEffect, useRef } from 'preact/hooks';

interface JsonEditorProps {
  /** The text it starts with; remount the editor (change its `key`) to load another text. */
  initialText: string;
  onChange: (text: string) => void;
  label: string;
  describedBy?: string;
  id?: string;
}

/**
 * A CodeMirror 6 JSON editor: highlighting, bracket matching, folding, and a parse check as you
 * type (marked in the gutter). Tab is left to the page so keyboard users can move on.
 */
export function JsonEditor({ initialText, onChange, label, describedBy, id }: JsonEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const attributes: Record<string, string> = { 'aria-label': label };
    if (describedBy) attributes['aria-describedby'] = describedBy;
    if (id) attributes.id = id;
    const view = new EditorView({
      doc: initialText,
      parent: host.current,
      extensions: [
        basicSetup,
        json(),
        linter(jsonParseLinter(), { delay: 200 }),
        lintGutter(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of(attributes),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) changed.current(update.state.doc.toString());
        }),
      ],
    });
    return () => view.destroy();
    // The editor owns its text once mounted; the parent remounts it (new key) to load another.
  }, []);

  return <div class="json-editor" ref={host} />;
}
