import { forwardRef, useEffect, useRef, useState, type ComponentProps, type CSSProperties, type ReactNode } from 'react';
import clsx from 'clsx';
import useIsBrowser from '@docusaurus/useIsBrowser';
import useIsomorphicLayoutEffect from '@docusaurus/useIsomorphicLayoutEffect';
import { usePrismTheme } from '@docusaurus/theme-common';
import { useCodeBlockContext } from '@docusaurus/theme-common/internal';
import type { Props } from '@theme/CodeBlock/Content';
import Line, { type Props as LineProps } from '@theme/CodeBlock/Line';
import styles from '@docusaurus/theme-classic/lib/theme/CodeBlock/Content/styles.module.css';
import { getHighlighter, loadHighlighter, type Highlighter } from './highlighter';
import { tokenColorClasses } from '../../code-theme';
import { patchCodeElement } from './patch-text';

/**
 * A code block's highlighted lines (the theme's CodeBlock/Content, without Prism in the page's main bundle).
 *
 * - On the server, Prism highlights the code as the theme does.
 * - Hydrating that HTML, the lines are kept as the server rendered them: the `<code>` element's content is opaque to
 *   React (an unchanging dangerouslySetInnerHTML), so no token is tokenized, created or compared again. Code blocks were
 *   most of the work of hydrating a chapter, and Prism most of the main bundle after React. When the code changes
 *   afterwards (KmsCode shows the learner's KMS URL), the changed text is written into the tokens in place.
 * - Rendered in the browser (a page reached by a link inside the site, a lab's code), the lines show as plain text
 *   until the highlighter's chunk has loaded, then highlighted; the block's size and text do not change.
 */

/** One object for every render: React writes innerHTML only when this prop changes, and it never does. */
const KEEP_SERVER_HTML = { __html: '' };

const Pre = forwardRef<HTMLPreElement, ComponentProps<'pre'>>(function Pre(props, ref) {
  // The theme's own attributes: focusable so that keyboard users can scroll a wide block.
  return <pre ref={ref} tabIndex={0} {...props} className={clsx(props.className, styles.codeBlock, 'thin-scrollbar')} />;
});

/**
 * A block outside the viewport is not laid out or painted until it comes near (content-visibility: auto): a chapter's
 * blocks hold thousands of token spans, most of them far below the first screen. On the first-app chapter at 4× CPU
 * throttling, layout during the load went from 315–336 to 241–250 ms (style did not change). Meanwhile the block keeps
 * the height its lines will have (each line is 1.45em, the
 * `pre`'s line height; the intrinsic size excludes the padding), so nothing moves when it renders, and the
 * `auto` keyword keeps the real height once it has rendered. Find in page and the accessibility tree still see the text.
 * Blocks with line numbers are tables, which this does not apply to: they render as before.
 */
function skippedWhileOffscreen(code: string): CSSProperties {
  const lines = code.endsWith('\n') ? code.split('\n').length - 1 : code.split('\n').length;
  return { contentVisibility: 'auto', containIntrinsicHeight: `auto calc(${Math.max(1, lines)} * var(--ifm-pre-line-height) * 1em)` };
}

function plainLines(code: string): LineProps['line'][] {
  return code.split('\n').map((text) => (text === '' ? [{ types: ['plain'], content: '\n', empty: true }] : [{ types: ['plain'], content: text }]));
}

export default function CodeBlockContent({ className: classNameProp }: Props): ReactNode {
  const { metadata, wordWrap } = useCodeBlockContext();
  const prismTheme = usePrismTheme();
  const { code, language, lineNumbersStart, lineClassNames } = metadata;
  const isBrowser = useIsBrowser();
  // Hydration is the only render in a browser before useIsBrowser() turns true.
  const [keepServerHtml, setKeepServerHtml] = useState(() => typeof window !== 'undefined' && !isBrowser);
  const [highlighter, setHighlighter] = useState<Highlighter | null>(getHighlighter);
  const codeElement = useRef<HTMLElement>(null);
  const shownCode = useRef(code);

  useEffect(() => {
    if (keepServerHtml || highlighter) return undefined;
    let alive = true;
    void loadHighlighter().then((loaded) => {
      if (alive) setHighlighter(loaded);
    });
    return () => {
      alive = false;
    };
  }, [keepServerHtml, highlighter]);

  useIsomorphicLayoutEffect(() => {
    const element = codeElement.current;
    if (!keepServerHtml || !element) return;
    // No server HTML to keep (React rendered this part afresh after a hydration error elsewhere): render it here.
    if (element.childNodes.length === 0 && code !== '') {
      setKeepServerHtml(false);
      return;
    }
    if (shownCode.current === code) return;
    if (patchCodeElement(element, shownCode.current, code)) shownCode.current = code;
    else setKeepServerHtml(false);
  }, [keepServerHtml, code]);

  const codeProps = {
    className: clsx(styles.codeBlockLines, lineNumbersStart !== undefined && styles.codeBlockLinesWithNumbering),
    style: (lineNumbersStart === undefined ? skippedWhileOffscreen(code) : { counterReset: `line-count ${lineNumbersStart - 1}` }) satisfies CSSProperties,
  };
  const preProps = { ref: wordWrap.codeBlockRef, className: clsx(classNameProp, `prism-code language-${language}`), style: prismTheme.plain as CSSProperties };

  if (keepServerHtml) {
    return (
      <Pre {...preProps} key="server">
        <code {...codeProps} ref={codeElement} dangerouslySetInnerHTML={KEEP_SERVER_HTML} suppressHydrationWarning />
      </Pre>
    );
  }

  const lines = (tokens: LineProps['line'][], getLineProps: LineProps['getLineProps'], getTokenProps: LineProps['getTokenProps']): ReactNode => (
    <Pre {...preProps} key="rendered">
      <code {...codeProps}>
        {tokens.map((line, index) => (
          <Line key={index} line={line} getLineProps={getLineProps} getTokenProps={getTokenProps} classNames={lineClassNames[index]} showLineNumbers={lineNumbersStart !== undefined} />
        ))}
      </code>
    </Pre>
  );

  if (highlighter) {
    const { Highlight } = highlighter;
    return (
      <Highlight theme={prismTheme} code={code} language={language}>
        {({ tokens, getLineProps, getTokenProps }) =>
          lines(
            tokens,
            // A line's text colour is its block's (the `pre`'s): no style of its own on every line.
            (input) => {
              const { style: _plain, ...props } = getLineProps(input);
              return input.style ? { ...props, style: input.style } : props;
            },
            // A token's colour is a class (src/theme/code-theme.ts); the theme gives prism-react-renderer no token styles.
            (input) => {
              const props = getTokenProps(input);
              return { ...props, className: clsx(props.className, tokenColorClasses(input.token.types)) };
            },
          )
        }
      </Highlight>
    );
  }
  // Until the highlighter is here: the same lines, unhighlighted (what prism-react-renderer makes of plain text).
  return lines(
    plainLines(code),
    ({ className, line: _line, ...rest }) => ({ ...rest, className: clsx('token-line', className) }),
    ({ token, className, style, ...rest }) => ({
      ...rest,
      className: clsx('token', ...token.types, className),
      children: token.content,
      style: token.empty ? { display: 'inline-block', ...style } : style,
    }),
  );
}
