import type { PrismTheme } from 'prism-react-renderer';

/**
 * The colours of highlighted code, as CSS variables (their values, one set per colour mode, are in
 * src/css/code-colors.css). The HTML the server renders is then the same whatever mode the reader chose, so code blocks
 * hydrate as they are: Docusaurus' own themes put literal colours in inline styles and therefore mount every code
 * block a second time in the browser (on the first-app chapter, several thousand spans created, thrown away and made
 * again on every visit, which Lighthouse's mobile run counted as seconds of blocking time).
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

export type CodeColor = keyof typeof CODE_TOKEN_VARIABLES | 'text' | 'background';

export const codeColorVariable = (name: CodeColor): string => `--kl-code-${name}`;

export const codeTheme: PrismTheme = {
  plain: { color: `var(${codeColorVariable('text')})`, backgroundColor: `var(${codeColorVariable('background')})` },
  styles: Object.entries(CODE_TOKEN_VARIABLES).map(([name, types]) => ({
    types: [...types],
    style: { color: `var(${codeColorVariable(name as CodeColor)})`, ...(name === 'comment' ? { fontStyle: 'italic' as const } : {}) },
  })),
};

