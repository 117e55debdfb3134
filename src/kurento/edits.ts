/**
 * The learner's edits of a lab's code, per lab and section (a step id, or `declarations`), kept in this browser
 * (localStorage) until they reset them. Exercises keep theirs apart from the lab's (`<lab>@<exercise>`), and each
 * language apart from the others (editScope).
 */
import { useCallback, useSyncExternalStore } from 'react';

const PREFIX = 'kurento-labs:code:';
const CHANGE_EVENT = 'kurento-labs:code-changed';
/** Fired when code is replaced from outside an open editor (reset, "put the solution in the editor"). */
export const REPLACED_EVENT = 'kurento-labs:code-replaced';

/**
 * Where the edits of a lab (or an exercise: `<lab>@<exercise>`) are kept in a language. The code a learner edits
 * carries the comments of the page's language, so an edit made on the Chinese page is not shown on the English one;
 * English edits keep the key they always had.
 */
export function editScope(scope: string, locale: string): string {
  return locale === 'en' ? scope : `${scope}~${locale}`;
}

function key(scope: string, section: string): string {
  return `${PREFIX}${scope}:${section}`;
}

export function readEdit(scope: string, section: string): string | undefined {
  try {
    return window.localStorage.getItem(key(scope, section)) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Replaces a section's code from outside the editor: the editor, if open, shows the new code. */
export function replaceEdit(scope: string, section: string, code: string, original: string): void {
  saveEdit(scope, section, code, original);
  window.dispatchEvent(new CustomEvent(REPLACED_EVENT, { detail: { scope, section } }));
}

/** Saves an edit; an edit equal to the original code is no edit (it is removed). */
export function saveEdit(scope: string, section: string, code: string, original: string): void {
  try {
    if (code === original) window.localStorage.removeItem(key(scope, section));
    else window.localStorage.setItem(key(scope, section), code);
  } catch {
    // storage full or disabled: the edit lives in the editor only
  }
  window.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail: { scope, section } }));
}

export function resetEdit(scope: string, section: string): void {
  try {
    window.localStorage.removeItem(key(scope, section));
  } catch {
    // nothing stored
  }
  window.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail: { scope, section } }));
  window.dispatchEvent(new CustomEvent(REPLACED_EVENT, { detail: { scope, section } }));
}

/** Every edited section of a scope. */
export function editedSections(scope: string): string[] {
  const sections: string[] = [];
  try {
    for (let i = 0; i < window.localStorage.length; i += 1) {
      const name = window.localStorage.key(i);
      if (name?.startsWith(`${PREFIX}${scope}:`)) sections.push(name.slice(`${PREFIX}${scope}:`.length));
    }
  } catch {
    // no storage
  }
  return sections;
}

function subscribe(listener: () => void): () => void {
  const onStorage = (event: StorageEvent): void => {
    if (event.key?.startsWith(PREFIX)) listener();
  };
  window.addEventListener('storage', onStorage);
  window.addEventListener(CHANGE_EVENT, listener);
  return () => {
    window.removeEventListener('storage', onStorage);
    window.removeEventListener(CHANGE_EVENT, listener);
  };
}

/** A snapshot string of a scope's edits, so React re-renders when one changes (here or in another tab). */
function snapshot(scope: string): string {
  try {
    return editedSections(scope)
      .sort()
      .map((section) => `${section}\u0000${readEdit(scope, section) ?? ''}`)
      .join('\u0001');
  } catch {
    return '';
  }
}

/** The edits of a scope, live: `code(section, original)` is the edited code, or the original. */
export function useEdits(scope: string): { code: (section: string, original: string) => string; edited: (section: string) => boolean } {
  const current = useSyncExternalStore(
    subscribe,
    () => snapshot(scope),
    () => '',
  );
  const map = new Map<string, string>();
  for (const entry of current ? current.split('\u0001') : []) {
    const [section = '', code = ''] = entry.split('\u0000');
    map.set(section, code);
  }
  const code = useCallback((section: string, original: string) => map.get(section) ?? original, [current]); // eslint-disable-line react-hooks/exhaustive-deps
  const edited = useCallback((section: string) => map.has(section), [current]); // eslint-disable-line react-hooks/exhaustive-deps
  return { code, edited };
}
