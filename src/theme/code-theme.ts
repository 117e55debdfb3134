import type { PrismTheme } from 'prism-react-renderer';

/**
 * The colours of highlighted code, as CSS variables (their values, one set per colour mode, are in
 * src/css/code-colors.css). The HTML the server renders is then the same whatever mode the reader chose, so code blocks
 * hydrate as they are: Docusaurus' own themes put literal colours in inline styles and therefore mount every code
 * block a second time in the browser (on the first-app chapter, several thousand spans created, thrown away and made
 * again on every visit, which Lighthouse's mobile run counted as seconds of blocking time).
 *
 * Tokens carry their colour as a class (`kl-code-keyword`, and `kl-code-italic` for comments), not as an inline
 * style: a chapter has thousands of tokens, and an element with a style attribute gets a style of its own in the
 * browser, where elements with the same classes share one. The class is chosen as prism-react-renderer chose the
 * inline style: a token nested in others (a punctuation mark in a template string) has the types of all of them,
 * outermost first, and the last one that has a colour wins; italic stays if any of them is a comment.
 */
export const CODE_TOKEN_VARIABLES = {
  comment: ['comment', 'prolog', 'doctype', 'cdata'],
  string: ['string', 'char', 'attr-value', 'template-string', 'regex', 'url'],
  keyword: ['keyword', 'atrule', 'selector', 'important', 'rule'],
  function: ['function', 'function-variable', 'class-name', 'builtin'],
  number: ['number', 'boolean', 'constant', 'symbol', 'entity'],
  property: ['property', 'variable', 'parameter', 'attr-name', 'key'],
  tag: ['tag', 'namespace'],
  punctuation: ['punctuation', 'operator'],
  inserted: ['inserted'],
  deleted: ['deleted'],
} as const;

export type TokenColor = keyof typeof CODE_TOKEN_VARIABLES;
export type CodeColor = TokenColor | 'text' | 'background';

/** Token types shown in italic (whatever colour a nested token has). */
export const ITALIC_TOKEN_COLORS: readonly TokenColor[] = ['comment'];

export const codeColorVariable = (name: CodeColor): string => `--kl-code-${name}`;

/** The class that gives a token its colour (src/css/code-colors.css has one rule per colour) and the italic one. */
export const codeColorClass = (name: TokenColor): string => `kl-code-${name}`;
export const CODE_ITALIC_CLASS = 'kl-code-italic';

const colorOfType = new Map<string, TokenColor>(
  (Object.entries(CODE_TOKEN_VARIABLES) as Array<[TokenColor, readonly string[]]>).flatMap(([name, types]) => types.map((type) => [type, name] as const)),
);

/** A token's colour and italic, from its types (outermost first), or null for plain text. */
export function tokenLook(types: readonly string[]): { color: TokenColor | null; italic: boolean } {
  let color: TokenColor | null = null;
  let italic = false;
  for (const type of types) {
    const found = colorOfType.get(type);
    if (!found) continue;
    color = found;
    if (ITALIC_TOKEN_COLORS.includes(found)) italic = true;
  }
  return { color, italic };
}

/** The classes for a token with these types ('' for plain text). */
export function tokenColorClasses(types: readonly string[]): string {
  const { color, italic } = tokenLook(types);
  if (!color) return '';
  return italic ? `${codeColorClass(color)} ${CODE_ITALIC_CLASS}` : codeColorClass(color);
}

/**
 * The Prism theme Docusaurus is given: the block's own colours only (its `pre` and the theme's CSS variables for
 * it). Token colours are classes (see above), so prism-react-renderer is given no token styles.
 */
export const codeTheme: PrismTheme = {
  plain: { color: `var(${codeColorVariable('text')})`, backgroundColor: `var(${codeColorVariable('background')})` },
  styles: [],
};
