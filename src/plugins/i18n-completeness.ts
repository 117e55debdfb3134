/**
 * The site's translation completeness, checked by `npm run lint` (scripts/check-i18n.ts) and by every production build
 * (the i18n-completeness plugin): every docs page has its zh-Hans counterpart and is in the sidebar, every UI string of
 * the site (Docusaurus' Translate component and translate function, always with an explicit id) has a Chinese translation in i18n/zh-Hans/code.json, every
 * navbar/footer label is translated, and every lab is embedded in its chapter in both languages.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { LABS } from '../../labs';
import { EXERCISES } from '../../labs/exercises';
import { programComments, type CommentTable } from '../../labs/framework/comments';
import { findEmbeds } from './lab-chapters';

export interface I18nReport {
  problems: string[];
  summary: string;
}

function walk(dir: string, filter: (file: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const result: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) result.push(...walk(full, filter));
    else if (filter(full)) result.push(full);
  }
  return result;
}

const HAN = /[\u3400-\u9fff]/;
/** A Chinese character or full-width punctuation: a line break next to one shows as a stray space. */
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/**
 * Splits an MDX page into prose lines and code lines: fenced blocks (``` or ~~~) and JSX template literals ({`…`}, as
 * in <KmsCode>) are code; front matter is neither.
 */
export function classifyLines(text: string): Array<{ line: number; text: string; code: boolean; fence?: string }> {
  const lines = text.split('\n');
  const result: Array<{ line: number; text: string; code: boolean; fence?: string }> = [];
  let language = '';
  let fence: string | null = null;
  let template = false;
  let start = 0;
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1);
    if (end > 0) start = end + 1;
  }
  for (let index = start; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const trimmed = line.trim();
    if (fence !== null) {
      if (trimmed.startsWith(fence)) fence = null;
      else result.push({ line: index + 1, text: line, code: true, fence: language });
      continue;
    }
    if (template) {
      if (line.includes('`}')) template = false;
      result.push({ line: index + 1, text: line, code: true });
      continue;
    }
    const opening = /^(```|~~~)\s*(\w*)/.exec(trimmed);
    if (opening) {
      fence = opening[1] ?? '```';
      language = opening[2] ?? '';
      continue;
    }
    const tail = line.split('{`')[1];
    if (tail !== undefined && !tail.includes('`}')) template = true;
    result.push({ line: index + 1, text: line, code: false });
  }
  return result;
}

/**
 * Line breaks inside a paragraph between two Chinese characters (1-based number of the line that ends before the
 * break). Markdown keeps such a break as a newline, which browsers show as a space in the middle of a sentence.
 */
export function findChineseLineBreaks(text: string): number[] {
  const lines = classifyLines(text);
  const breaks: number[] = [];
  for (let index = 0; index + 1 < lines.length; index += 1) {
    const current = lines[index];
    const next = lines[index + 1];
    if (!current || !next || current.code || next.code || next.line !== current.line + 1) continue;
    const end = current.text.trimEnd();
    const start = next.text.trimStart();
    if (/^(#|\||<|:::|import |export )/.test(current.text.trimStart())) continue;
    if (/^([-*+]|\d+[.)])\s/.test(start)) continue;
    if (CJK.test(end.slice(-1)) && CJK.test(start.slice(0, 1))) breaks.push(current.line);
  }
  return breaks;
}

/** Code comments written in English prose (three or more words, no Chinese) in a page's code blocks. */
export function findEnglishComments(text: string): Array<{ line: number; comment: string }> {
  const found: Array<{ line: number; comment: string }> = [];
  let heredoc: string | null = null;
  for (const { line, text: code, code: isCode, fence } of classifyLines(text)) {
    if (!isCode || fence === 'text') continue;
    // A shell here-document is the content of a file (a name in an apt source list), not a comment on the code.
    if (heredoc !== null) {
      if (code.trim() === heredoc) heredoc = null;
      continue;
    }
    const opening = /<<-?\s*['"]?(\w+)['"]?/.exec(code);
    if (opening) {
      heredoc = opening[1] ?? null;
      continue;
    }
    // `//` not part of a URL (`ws://`, `file:///`), or `#` at the start of a shell line, or a `/*` block comment opener.
    const match = /(?:^|[^:/'"`\w])(?:\/\/|\/\*+)\s*(.*)$/.exec(code) ?? /^\s*#\s+(.*)$/.exec(code);
    const comment = match?.[1]?.replace(/\*\/\s*$/, '').trim() ?? '';
    if (!comment || HAN.test(comment)) continue;
    if (/\b[A-Za-z]{2,}\b[ ,;]+\b[A-Za-z]{2,}\b[ ,;]+\b[A-Za-z]{2,}\b/.test(comment)) found.push({ line, comment });
  }
  return found;
}

/** Whether a code.json message needs Chinese: it has words once its {placeholders} are removed. */
export function needsChinese(message: string): boolean {
  return /[A-Za-z]{2,}/.test(message.replace(/\{[^}]*\}/g, ''));
}

/** Checks the site under `root` (the repository folder). */
export function checkI18n(root: string): I18nReport {
  const problems: string[] = [];
  const zhDocs = path.join(root, 'i18n', 'zh-Hans', 'docusaurus-plugin-content-docs', 'current');

  // 1. Docs pages.
  const docs = walk(path.join(root, 'docs'), (file) => /\.mdx?$/.test(file)).map((file) => path.relative(path.join(root, 'docs'), file));
  for (const page of docs) {
    if (!existsSync(path.join(zhDocs, page))) problems.push(`docs/${page} has no Chinese page at i18n/zh-Hans/docusaurus-plugin-content-docs/current/${page}`);
  }
  for (const page of walk(zhDocs, (file) => /\.mdx?$/.test(file)).map((file) => path.relative(zhDocs, file))) {
    if (!docs.includes(page)) problems.push(`i18n/zh-Hans/…/current/${page} has no English source in docs/`);
  }
  // Every page names, in its front matter, a term of its own that the local search must find it by
  // (tests/e2e/chapters.spec.ts searches for it in each locale).
  for (const file of [...docs.map((page) => path.join(root, 'docs', page)), ...walk(zhDocs, (name) => /\.mdx?$/.test(name))]) {
    const head = /^---\n([\s\S]*?)\n---/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
    if (!/^search_term:\s*\S/m.test(head)) {
      problems.push(`${path.relative(root, file)}: add "search_term: <a word only this chapter has>" to its front matter (the search test looks the chapter up by it)`);
    }
  }
  // Chinese pages: one paragraph per line (no break between two Chinese characters), code comments in Chinese.
  for (const page of walk(zhDocs, (file) => /\.mdx?$/.test(file))) {
    const text = readFileSync(page, 'utf8');
    const relative = path.relative(root, page);
    const breaks = findChineseLineBreaks(text);
    if (breaks.length > 0) {
      problems.push(
        `${relative}: ${breaks.length} line break(s) between Chinese characters (lines ${breaks.slice(0, 8).join(', ')}${breaks.length > 8 ? ', …' : ''}); join each paragraph into one line`,
      );
    }
    for (const { line, comment } of findEnglishComments(text)) problems.push(`${relative}:${line}: code comment not translated: "${comment}"`);
  }
  // Sidebar category labels (sidebars.ts) need their Chinese labels in current.json.
  const sidebarSource = readFileSync(path.join(root, 'sidebars.ts'), 'utf8');
  const categoriesPath = path.join(root, 'i18n', 'zh-Hans', 'docusaurus-plugin-content-docs', 'current.json');
  const categories = existsSync(categoriesPath) ? (JSON.parse(readFileSync(categoriesPath, 'utf8')) as Record<string, { message?: string }>) : {};
  for (const match of sidebarSource.matchAll(/label: '([^']+)'/g)) {
    const key = `sidebar.guide.category.${match[1]}`;
    if (!/[\u3400-\u9fff]/.test(categories[key]?.message ?? '')) problems.push(`sidebar category "${match[1]}" has no Chinese label in ${path.relative(root, categoriesPath)}`);
  }
  // Every docs page must be in the sidebar, so that no chapter is unreachable.
  for (const page of docs) {
    const id = page.replace(/\.mdx?$/, '');
    if (!sidebarSource.includes(`'${id}'`)) problems.push(`docs/${page} is not listed in sidebars.ts`);
  }

  // 2. UI strings.
  // src/plugins run in Node at build time and show the reader nothing (this file's own patterns would match).
  const plugins = path.join(root, 'src', 'plugins') + path.sep;
  const sources = walk(path.join(root, 'src'), (file) => /\.(tsx?|jsx?)$/.test(file) && !file.endsWith('.d.ts') && !file.startsWith(plugins));
  const ids = new Map<string, string>();
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    const relative = path.relative(root, file);
    for (const match of text.matchAll(/<Translate\b([^>]*)>/g)) {
      const id = /\bid="([^"]+)"/.exec(match[1] ?? '')?.[1];
      if (!id) problems.push(`${relative}: <Translate> without an explicit id`);
      else ids.set(id, relative);
    }
    for (const match of text.matchAll(/\btranslate\(\s*\{([^}]*)\}/g)) {
      const id = /\bid:\s*'([^']+)'/.exec(match[1] ?? '')?.[1];
      if (!id) problems.push(`${relative}: translate() without an explicit id`);
      else ids.set(id, relative);
    }
  }
  const codePath = path.join(root, 'i18n', 'zh-Hans', 'code.json');
  const code = existsSync(codePath) ? (JSON.parse(readFileSync(codePath, 'utf8')) as Record<string, { message?: string }>) : {};
  const hasChinese = HAN;
  /** Strings that are names in both languages (the site's name, a protocol). */
  const SAME_IN_BOTH = new Set(['home.hero.title', 'lab.tab.rpc', 'lab.timeline.lane.kms', 'lab.kms']);
  for (const [id, file] of ids) {
    const entry = code[id];
    if (!entry?.message) problems.push(`UI string "${id}" (${file}) has no zh-Hans translation in i18n/zh-Hans/code.json`);
    else if (!hasChinese.test(entry.message) && !SAME_IN_BOTH.has(id)) problems.push(`UI string "${id}" (${file}) is not translated: "${entry.message}"`);
  }
  // Every other entry too, the theme's own strings included (write-translations copies the English in when the theme's
  // Chinese pack lacks one).
  for (const [id, entry] of Object.entries(code)) {
    if (ids.has(id) || SAME_IN_BOTH.has(id)) continue;
    const message = entry.message ?? '';
    if (!hasChinese.test(message) && needsChinese(message)) problems.push(`i18n/zh-Hans/code.json: "${id}" is not translated: "${message}"`);
  }

  // 3. Theme labels (navbar, footer).
  for (const [file, keys] of [
    ['docusaurus-theme-classic/navbar.json', ['item.label.Guide', 'item.label.Labs', 'item.label.Browser check']],
    ['docusaurus-theme-classic/footer.json', ['link.title.Learn', 'link.item.label.Guide', 'link.item.label.Labs', 'copyright']],
  ] as const) {
    const full = path.join(root, 'i18n', 'zh-Hans', file);
    const json = existsSync(full) ? (JSON.parse(readFileSync(full, 'utf8')) as Record<string, { message?: string }>) : {};
    for (const key of keys) {
      if (!json[key]?.message || !hasChinese.test(json[key].message ?? '')) problems.push(`i18n/zh-Hans/${file}: "${key}" is not translated`);
    }
  }

  // 4. Labs and exercises: each is embedded in one chapter, in both languages (labs under their `#lab-<id>` heading).
  const embeds = findEmbeds(root);
  for (const exercise of EXERCISES) {
    const chapter = embeds.exercises[exercise.id];
    if (!chapter) {
      problems.push(`exercise ${exercise.id} is embedded in no chapter (<Exercise id="${exercise.id}" />)`);
      continue;
    }
    const page = `${chapter.replace(/^\/docs\//, '')}.mdx`;
    const zh = existsSync(path.join(zhDocs, page)) ? readFileSync(path.join(zhDocs, page), 'utf8') : '';
    if (!zh.includes(`<Exercise id="${exercise.id}"`)) problems.push(`${path.relative(root, path.join(zhDocs, page))} does not embed <Exercise id="${exercise.id}" />`);
  }
  for (const lab of LABS) {
    const chapter = embeds.labs[lab.id];
    if (!chapter) {
      problems.push(`lab ${lab.id} is embedded in no chapter (<Lab id="${lab.id}" />)`);
      continue;
    }
    const page = `${chapter.replace(/^\/docs\//, '')}.mdx`;
    for (const file of [path.join(root, 'docs', page), path.join(zhDocs, page)]) {
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (!text.includes(`<Lab id="${lab.id}"`)) problems.push(`${path.relative(root, file)} does not embed <Lab id="${lab.id}" />`);
      if (!text.includes(`{#lab-${lab.id}}`)) problems.push(`${path.relative(root, file)} has no heading {#lab-${lab.id}} (the labs index links to it)`);
    }
  }
  // 5. The comments of every lab's program in Chinese (labs/programs/<id>.zh-Hans.json; tests/unit/program-comments.test.ts
  // also proves that translating them changes nothing but comments).
  let comments = 0;
  for (const lab of LABS) {
    const programFile = path.join(root, 'labs', 'programs', `${lab.id}.js`);
    const tableFile = path.join(root, 'labs', 'programs', `${lab.id}.zh-Hans.json`);
    if (!existsSync(programFile)) continue;
    if (!existsSync(tableFile)) {
      problems.push(`labs/programs/${lab.id}.js has no Chinese comments: add labs/programs/${lab.id}.zh-Hans.json (English comment → Chinese)`);
      continue;
    }
    const table = JSON.parse(readFileSync(tableFile, 'utf8')) as CommentTable;
    const keys = new Set(programComments(readFileSync(programFile, 'utf8')).map((comment) => comment.key));
    comments += keys.size;
    for (const key of keys) {
      if (!HAN.test(table[key] ?? '')) problems.push(`labs/programs/${lab.id}.zh-Hans.json: no Chinese for the comment ${JSON.stringify(key)}`);
    }
    for (const key of Object.keys(table)) if (!keys.has(key)) problems.push(`labs/programs/${lab.id}.zh-Hans.json: stale, ${lab.id}.js has no comment ${JSON.stringify(key)}`);
  }
  return {
    problems,
    summary: `i18n check: ${docs.length} docs pages with zh-Hans counterparts, ${ids.size} UI strings translated, ${LABS.length} labs embedded in both languages, ${comments} comments of their programs in Chinese.`,
  };
}

/** Fails a production build (`docusaurus build`) whose Chinese side is incomplete; `docusaurus start` only warns. */
export default function i18nCompleteness(context: LoadContext): Plugin {
  return {
    name: 'kurento-labs-i18n-completeness',
    loadContent(): Promise<void> {
      const { problems } = checkI18n(context.siteDir);
      if (problems.length === 0) return Promise.resolve();
      const message = `i18n check failed (${problems.length}):\n  - ${problems.join('\n  - ')}`;
      if (process.env.NODE_ENV === 'production') return Promise.reject(new Error(message));
      console.warn(message);
      return Promise.resolve();
    },
  };
}
