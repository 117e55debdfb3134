/**
 * The code editor of a lab step: CodeMirror 6 with its JavaScript mode, line numbers, undo history, bracket matching, and the
 * site's light or dark theme. Loaded only when a learner presses Edit (its own chunk). Keyboard: Ctrl/Cmd+Enter runs
 * the step, Escape leaves the editor, Tab moves the focus on (the editor does not trap it).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { javascript } from '@codemirror/legacy-modes/mode/javascript';
import { Compartment, EditorState } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import { Decoration, EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';
import { StateEffect, StateField } from '@codemirror/state';

export interface EditorProps {
  value: string;
  onChange: (code: string) => void;
  onRun: () => void;
  onClose: () => void;
  /** Accessible name of the editor, e.g. "Code of step 3: Connect kurento-client to KMS". */
  label: string;
  dark: boolean;
  /** A line to mark (1-based): where an error points. */
  errorLine?: number;
}

// CodeMirror's JavaScript mode as a stream parser: it highlights and indents the tutorials' callback-style code as
// well as the Lezer grammar does, at a third of its size (the editor chunk stays within its 150 KB gzip budget).
const javascriptMode = StreamLanguage.define(javascript);

const setErrorLine = StateEffect.define<number | undefined>();

const errorLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, transaction) {
    let next = decorations.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setErrorLine)) continue;
      const line = effect.value;
      if (line === undefined || line < 1 || line > transaction.state.doc.lines) {
        next = Decoration.none;
      } else {
        const from = transaction.state.doc.line(line).from;
        next = Decoration.set([Decoration.line({ class: 'cm-kurento-labs-error-line' }).range(from)]);
      }
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const baseTheme = EditorView.theme({
  '&': { fontSize: '13px', border: '1px solid var(--ifm-color-emphasis-300)', borderRadius: '4px' },
  '.cm-scroller': { fontFamily: 'var(--ifm-font-family-monospace)', maxHeight: '28em' },
  '.cm-kurento-labs-error-line': { backgroundColor: 'rgba(211, 47, 47, 0.18)' },
  '&.cm-focused': { outline: '2px solid var(--ifm-color-primary)' },
});

export default function Editor({ value, onChange, onRun, onClose, label, dark, errorLine }: EditorProps): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const theme = useRef(new Compartment());
  const callbacks = useRef({ onChange, onRun, onClose });
  callbacks.current = { onChange, onRun, onClose };

  useEffect(() => {
    if (!host.current) return undefined;
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          javascriptMode,
          errorLineField,
          baseTheme,
          theme.current.of(dark ? oneDark : []),
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true' }),
          keymap.of([
            { key: 'Mod-Enter', run: () => (callbacks.current.onRun(), true) },
            { key: 'Escape', run: () => (callbacks.current.onClose(), true) },
            ...defaultKeymap,
            ...historyKeymap,
          ]),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    created.focus();
    return () => {
      created.destroy();
      view.current = null;
    };
    // The editor is made once; the value changes through it (Reset remounts it).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: theme.current.reconfigure(dark ? oneDark : []) });
  }, [dark]);

  useEffect(() => {
    view.current?.dispatch({ effects: setErrorLine.of(errorLine) });
  }, [errorLine]);

  return <div ref={host} data-testid="code-editor" />;
}
