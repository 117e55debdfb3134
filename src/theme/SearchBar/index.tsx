import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { translate } from '@docusaurus/Translate';
import styles from './styles.module.css';

/** What the navbar hands the search bar (the mobile navbar collapses around it). */
interface SearchBarProps {
  handleSearchBarToggle?: (expanded: boolean) => void;
}

// The local search (lunr for English and Chinese, the highlighter, the autocomplete) is the largest part of every
// page's JavaScript, and most visits never search. It loads when the reader shows an intent to: the pointer on the
// box, a focus (click, Tab, touch) or the Ctrl/⌘+K shortcut; or at once on a page opened from a search result.
const RealSearchBar = lazy(() => import(/* webpackChunkName: "search" */ '@theme-original/SearchBar') as Promise<{ default: (props: SearchBarProps) => ReactNode }>);

function isShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k';
}

/** What the search box shows until the search loads: the same box, so nothing moves when it arrives. */
function Placeholder({ onIntent, value, onValue, focusRef }: { onIntent: () => void; value: string; onValue: (text: string) => void; focusRef: { current: boolean } }): ReactNode {
  return (
    <div className={`navbar__search ${styles.container}`} dir="ltr">
      <svg aria-hidden="true" className={styles.icon} focusable="false" viewBox="0 0 16 16">
        <path
          fill="currentColor"
          d="M6 10.2a4.2 4.2 0 1 1 4.2-4.2A4.2 4.2 0 0 1 6 10.2Zm9.7 4.2-4.8-4.8A5.9 5.9 0 0 0 12 6a6 6 0 1 0-2.4 4.9l4.8 4.8a.9.9 0 0 0 1.3 0 .9.9 0 0 0 0-1.3Z"
        />
      </svg>
      <input
        className={`navbar__search-input ${styles.input}`}
        placeholder={translate({ id: 'theme.SearchBar.label', message: 'Search', description: 'The ARIA label and placeholder for search button' })}
        aria-label={translate({ id: 'theme.SearchBar.label', message: 'Search', description: 'The ARIA label and placeholder for search button' })}
        value={value}
        onChange={(event) => onValue(event.target.value)}
        onPointerEnter={onIntent}
        onFocus={() => {
          focusRef.current = true;
          onIntent();
        }}
        onBlur={() => {
          focusRef.current = false;
        }}
      />
      <div className={styles.hints} aria-hidden="true">
        <kbd className={styles.hint}>ctrl</kbd>
        <kbd className={styles.hint}>K</kbd>
      </div>
    </div>
  );
}

export default function SearchBar(props: SearchBarProps): ReactNode {
  const [wanted, setWanted] = useState(false);
  const [typed, setTyped] = useState('');
  const focused = useRef(false);
  const box = useRef<HTMLDivElement>(null);
  const want = useCallback(() => setWanted(true), []);

  useEffect(() => {
    if (wanted) return undefined;
    // Opened from a search result: the search highlights the words on this page.
    if (new URLSearchParams(window.location.search).has('_highlight')) setWanted(true);
    const onKey = (event: KeyboardEvent): void => {
      if (!isShortcut(event)) return;
      event.preventDefault();
      focused.current = true;
      setWanted(true);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [wanted]);

  // Once the search is here, it takes over the focus and what was typed meanwhile.
  const onLoaded = useCallback(() => {
    const input = box.current?.querySelector<HTMLInputElement>('input.navbar__search-input');
    if (!input || !focused.current) return;
    input.focus();
    if (typed) {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      setter?.call(input, typed);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }, [typed]);

  const placeholder = <Placeholder onIntent={want} value={typed} onValue={setTyped} focusRef={focused} />;
  return (
    <div ref={box} className={styles.slot}>
      {wanted ? (
        <Suspense fallback={placeholder}>
          <Loaded onLoaded={onLoaded}>
            <RealSearchBar {...props} />
          </Loaded>
        </Suspense>
      ) : (
        placeholder
      )}
    </div>
  );
}

/** Calls `onLoaded` after its children (the real search bar) have mounted. */
function Loaded({ children, onLoaded }: { children: ReactNode; onLoaded: () => void }): ReactNode {
  useEffect(() => {
    onLoaded();
    // Only once, when the search bar arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return children;
}
