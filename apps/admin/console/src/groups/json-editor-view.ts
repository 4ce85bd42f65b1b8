import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import { EditorView, basicSetup } from 'codemirror';

export interface JsonEditorSetup {
  parent: HTMLElement;
  text: string;
  attributes: Record<string, string>;
  onChange: (text: string) => void;
}

/**
 * CodeMirror 6 for JSON: highlighting, bracket matching, folding, and a parse check as you type
 * (marked in the gutter). Tab is left to the page (no indent-with-tab) so keyboard users move on.
 * Kept in its own module so the editor is loaded only when a dialog needs it.
 */
export function createJsonEditorView(setup: JsonEditorSetup): EditorView {
  return new EditorView({
    doc: setup.text,
    parent: setup.parent,
    extensions: [
      basicSetup,
      json(),
      linter(jsonParseLinter(), { delay: 200 }),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of(setup.attributes),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) setup.onChange(update.state.doc.toString());
      }),
    ],
  });
}
