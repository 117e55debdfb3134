/**
 * The comments of a lab's program, in the page's language. The program (labs/programs/<id>.js) is the single source,
 * commented in English; labs/programs/<id>.<locale>.json maps each English comment to its translation. Only comment
 * text is replaced, never code or strings: the scanner below knows strings, template literals (with `${…}` nested to any
 * depth) and regular expression literals, and tests/unit/program-comments.test.ts checks it against a real JavaScript
 * parser and checks that every program's token stream without comments is unchanged by the translation.
 *
 * A comment's key is its text without the comment markers: consecutive `//` lines of the same indentation form one
 * comment (their texts joined by a space), as a paragraph does; a comment after code on its line is one of its own.
 * A translation may hold `\n` to break a paragraph into lines. `// @step` markers and tool directives (`eslint-…`,
 * `global …`) are never translated.
 */

/** A translation table: English comment text → its text in another language. */
export type CommentTable = Record<string, string>;

interface Span {
  start: number;
  end: number;
  kind: 'line' | 'block';
}

export interface ProgramComment {
  /** The English text (the table's key). */
  key: string;
  /** Offsets in the program of the first comment's `//` or `/*` and of the end of the last one. */
  start: number;
  end: number;
  kind: 'line' | 'block';
  /** After code on its line. */
  trailing: boolean;
  /** The whitespace before the comment on its line (full-line comments: the indentation the translation keeps). */
  indent: string;
  /** `/**` rather than `/*`. */
  doc: boolean;
}

const KEYWORDS_BEFORE_EXPRESSION = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
const IDENTIFIER = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Where a `/` starts a regular expression rather than a division: after an operator, or at the start. */
function regexAllowed(code: string, before: number): boolean {
  let i = before - 1;
  while (i >= 0 && /\s/.test(code[i] ?? '')) i -= 1;
  if (i < 0) return true;
  const char = code[i] ?? '';
  if (char === ')' || char === ']' || char === '}' || char === '"' || char === "'" || char === '`') return false;
  if (IDENTIFIER.test(char)) {
    let start = i;
    while (start > 0 && IDENTIFIER.test(code[start - 1] ?? '')) start -= 1;
    return KEYWORDS_BEFORE_EXPRESSION.has(code.slice(start, i + 1));
  }
  return true;
}

/** The comments of JavaScript source, in order: a scan that skips strings, template literals and regular expressions. */
export function findComments(code: string): Array<{ start: number; end: number; kind: 'line' | 'block' }> {
  const spans: Span[] = [];
  /** Open braces: `template` for a `${` whose `}` resumes a template literal. */
  const braces: Array<'code' | 'template'> = [];
  let i = 0;
  const templateFrom = (from: number): number => {
    // Scans a template literal's text from `from` (after "`" or after the `}` of a substitution): returns the index
    // after its closing "`", or after a `${` (pushed on the brace stack).
    let j = from;
    while (j < code.length) {
      const char = code[j];
      if (char === '\\') j += 2;
      else if (char === '`') return j + 1;
      else if (char === '$' && code[j + 1] === '{') {
        braces.push('template');
        return j + 2;
      } else j += 1;
    }
    return j;
  };
  while (i < code.length) {
    const char = code[i];
    const next = code[i + 1];
    if (char === '/' && next === '/') {
      let end = code.indexOf('\n', i);
      if (end === -1) end = code.length;
      if (code[end - 1] === '\r') end -= 1;
      spans.push({ start: i, end, kind: 'line' });
      i = end;
    } else if (char === '/' && next === '*') {
      const close = code.indexOf('*/', i + 2);
      const end = close === -1 ? code.length : close + 2;
      spans.push({ start: i, end, kind: 'block' });
      i = end;
    } else if (char === '"' || char === "'") {
      let j = i + 1;
      while (j < code.length && code[j] !== char && code[j] !== '\n') j += code[j] === '\\' ? 2 : 1;
      i = j + 1;
    } else if (char === '`') {
      i = templateFrom(i + 1);
    } else if (char === '{') {
      braces.push('code');
      i += 1;
    } else if (char === '}') {
      i = braces.pop() === 'template' ? templateFrom(i + 1) : i + 1;
    } else if (char === '/' && regexAllowed(code, i)) {
      let j = i + 1;
      let inClass = false;
      while (j < code.length && code[j] !== '\n') {
        const c = code[j];
        if (c === '\\') j += 1;
        else if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
        j += 1;
      }
      i = j + 1;
    } else if (char !== undefined && IDENTIFIER.test(char)) {
      // A whole word at once, so that a keyword's letters are not taken for the end of an identifier midway.
      while (i < code.length && IDENTIFIER.test(code[i] ?? '')) i += 1;
    } else i += 1;
  }
  return spans;
}

function isDirective(text: string): boolean {
  return /^(@step\s|eslint[-\s]|global\s|#\s*source)/.test(text);
}

function lineText(code: string, span: Span): string {
  return code.slice(span.start + 2, span.end).trim();
}

function blockText(code: string, span: Span): string {
  return code
    .slice(span.start + 2, span.end - 2)
    .replace(/^\*/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*?\s?/, '').trim())
    .filter((line) => line !== '')
    .join(' ');
}

/** The comments of a program as the translation tables key them (directives and step markers left out). */
export function programComments(code: string): ProgramComment[] {
  const comments: ProgramComment[] = [];
  let previous: (ProgramComment & { line: number }) | undefined;
  for (const span of findComments(code)) {
    const lineStart = code.lastIndexOf('\n', span.start - 1) + 1;
    const before = code.slice(lineStart, span.start);
    const trailing = before.trim() !== '';
    const indent = trailing ? '' : before;
    const text = span.kind === 'line' ? lineText(code, span) : blockText(code, span);
    const line = code.slice(0, span.start).split('\n').length;
    if (isDirective(text)) {
      previous = undefined;
      continue;
    }
    if (span.kind === 'line' && !trailing && previous && previous.kind === 'line' && !previous.trailing && previous.indent === indent && previous.line === line - 1) {
      previous.key = `${previous.key} ${text}`.trim();
      previous.end = span.end;
      previous.line = line;
      continue;
    }
    const comment = { key: text, start: span.start, end: span.end, kind: span.kind, trailing, indent, doc: code.startsWith('/**', span.start), line };
    comments.push(comment);
    previous = span.kind === 'line' ? comment : undefined;
  }
  return comments.map(({ key, start, end, kind, trailing, indent, doc }) => ({ key, start, end, kind, trailing, indent, doc }));
}

/** A comment written out again with another text, in the same form and indentation. */
function rewrite(comment: ProgramComment, text: string): string {
  const lines = text.split('\n');
  if (comment.kind === 'line') return lines.map((line) => `// ${line}`.trimEnd()).join(`\n${comment.indent}`);
  const open = comment.doc ? '/**' : '/*';
  if (lines.length === 1 && comment.trailing) return `${open} ${text} */`;
  return [open, ...lines.map((line) => `${comment.indent} * ${line}`.trimEnd()), `${comment.indent} */`].join('\n');
}

/**
 * The program with its comments in another language. A comment the table does not know stays as it is (and is
 * passed to `missing`): a program newer than its table still runs, in English where the table lacks a text.
 */
export function translateComments(code: string, table: CommentTable, missing?: (key: string) => void): string {
  let out = '';
  let at = 0;
  for (const comment of programComments(code)) {
    const text = Object.prototype.hasOwnProperty.call(table, comment.key) ? table[comment.key] : undefined;
    if (text === undefined) {
      missing?.(comment.key);
      continue;
    }
    out += code.slice(at, comment.start) + rewrite(comment, comment.trailing ? text.replace(/\n/g, ' ') : text);
    at = comment.end;
  }
  return out + code.slice(at);
}
