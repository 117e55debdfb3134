import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useThemeConfig } from '@docusaurus/theme-common';
import { CodeBlockContextProvider, createCodeBlockMetadata } from '@docusaurus/theme-common/internal';
import type { Props } from '@theme/CodeBlock/Content/String';
import CodeBlockLayout from '@theme/CodeBlock/Layout';

/**
 * A code block given as a string (the theme's CodeBlock/Content/String, with the same layout, buttons and context),
 * made cheaper where a chapter with many blocks paid for it right after hydration:
 * - the block's metadata (its lines parsed for magic comments) is computed once per code, not on every render;
 * - whether the block scrolls sideways (which shows the word-wrap button) is read in a ResizeObserver callback, after
 *   the browser has laid the page out anyway, instead of in an effect of every block right after hydration, and is
 *   written on the `pre` as an attribute that the button's CSS reads (src/theme/CodeBlock/Buttons), so no block renders
 *   again for it; the observer also sees the block resized by the window or shown by a tab, which the theme watched
 *   with a resize listener and a MutationObserver per block.
 */

type WordWrap = {
  codeBlockRef: React.RefObject<HTMLPreElement | null>;
  isEnabled: boolean;
  isCodeScrollable: boolean;
  toggle: () => void;
};

/** Fired on an element with content-visibility: auto when it starts or stops being rendered. */
const RENDERED_EVENT = 'contentvisibilityautostatechange';

/** One observer for every code block on the page: the callback of each observed `pre`. */
const watched = new WeakMap<Element, () => void>();
let observer: ResizeObserver | null = null;

function watch(element: Element, onResize: () => void): () => void {
  observer ??= new ResizeObserver((entries) => {
    for (const entry of entries) watched.get(entry.target)?.();
  });
  watched.set(element, onResize);
  observer.observe(element);
  // A block below the viewport is not laid out until it comes near (Content/index.tsx): its width is known, and may
  // overflow, only once it renders, which need not change the `pre`'s size. The event does not bubble: caught on the way down.
  element.addEventListener(RENDERED_EVENT, onResize, { capture: true });
  return () => {
    observer?.unobserve(element);
    element.removeEventListener(RENDERED_EVENT, onResize, { capture: true });
    watched.delete(element);
  };
}

/** The attribute the word-wrap button's CSS looks for (src/theme/CodeBlock/Buttons). */
export const SCROLLABLE_ATTRIBUTE = 'data-kl-scrollable';

function useWordWrap(): WordWrap {
  const [isEnabled, setIsEnabled] = useState(false);
  // The `pre` is watched for as long as it is the block's: a ref object whose `current` React sets on every attach and
  // detach, so that a `pre` replaced by another (the block rendered afresh) is the one watched.
  const codeBlockRef = useMemo<React.RefObject<HTMLPreElement | null>>(() => {
    let element: HTMLPreElement | null = null;
    let stop: (() => void) | undefined;
    const measure = (): void => {
      if (!element) return;
      // Written on the element, not kept in React state: nothing renders again when a block's width is known.
      element.toggleAttribute(SCROLLABLE_ATTRIBUTE, element.scrollWidth > element.clientWidth);
    };
    return {
      get current() {
        return element;
      },
      set current(next) {
        if (next === element) return;
        stop?.();
        element = next;
        // The observer reports an element once at the next rendering step (the first measurement), then on resizes.
        stop = next ? watch(next, measure) : undefined;
      },
    };
  }, []);

  const toggle = useCallback(() => {
    const code = codeBlockRef.current?.querySelector('code');
    if (!code) return;
    if (isEnabled) {
      code.style.removeProperty('white-space');
      code.style.removeProperty('overflow-wrap');
    } else {
      code.style.whiteSpace = 'pre-wrap';
      // Very long words and strings wrap too, so that no scrollbar is left.
      code.style.overflowWrap = 'anywhere';
    }
    setIsEnabled(!isEnabled);
  }, [codeBlockRef, isEnabled]);

  // isCodeScrollable is not tracked in React state (see SCROLLABLE_ATTRIBUTE); wrapped code counts as scrollable, as
  // in the theme. One object while nothing changes, so that the block's context does not change with every render.
  return useMemo(() => ({ codeBlockRef, isEnabled, isCodeScrollable: isEnabled, toggle }), [codeBlockRef, isEnabled, toggle]);
}

export default function CodeBlockString({ children, className, metastring, language, title, showLineNumbers }: Props): ReactNode {
  const { prism } = useThemeConfig();
  const metadata = useMemo(
    () =>
      createCodeBlockMetadata({
        code: children,
        className,
        metastring,
        magicComments: prism.magicComments,
        defaultLanguage: prism.defaultLanguage,
        language,
        title,
        showLineNumbers,
      }),
    [children, className, metastring, prism.magicComments, prism.defaultLanguage, language, title, showLineNumbers],
  );
  const wordWrap = useWordWrap();
  return (
    <CodeBlockContextProvider metadata={metadata} wordWrap={wordWrap}>
      <CodeBlockLayout />
    </CodeBlockContextProvider>
  );
}
