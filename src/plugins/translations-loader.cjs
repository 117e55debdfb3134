// @ts-check
/**
 * The webpack loader of src/plugins/split-translations.ts (a CommonJS file: webpack loads loaders with require()).
 *
 * - mode "main": Docusaurus' codeTranslations.json (every page's main bundle) without the messages that a module
 *   under the source folders names, theme.* messages excepted;
 * - mode "module": a module under the source folders that names some of those messages gets, as its first import,
 *   register-translations.ts?ids=<them>;
 * - mode "register": that import becomes code adding the messages of the current locale to Docusaurus' translations.
 * A message therefore travels in the chunk of the code that shows it: on the Chinese pages, the labs' 200 messages
 * load with the lab, not with every page.
 */
const fs = require('node:fs');
const path = require('node:path');

/** @typedef {{ mode: 'main' | 'module' | 'register'; translationsFile: string; registerFile: string; sourceDirs: string[] }} Options */

/** Source files whose text is searched for message ids (the same files the "module" rule matches). */
const SOURCE = /\.[jt]sx?$/;

/** @param {string} file @returns {Record<string, string>} */
function readTranslations(file) {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

/** The ids among `ids` that `text` names as a string literal. @param {string} text @param {string[]} ids */
function namedIds(text, ids) {
  return ids.filter((id) => !id.startsWith('theme.') && (text.includes(`'${id}'`) || text.includes(`"${id}"`) || text.includes(`\`${id}\``)));
}

/** @param {string} dir @param {string[]} out */
function sourceFiles(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (SOURCE.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * @this {import('webpack').LoaderContext<Options>}
 * @param {string} source
 */
module.exports = function translationsLoader(source) {
  const { mode, translationsFile, registerFile, sourceDirs } = this.getOptions();
  this.addDependency(translationsFile);
  const translations = readTranslations(translationsFile);
  const ids = Object.keys(translations);
  if (mode === 'main') {
    const messages = JSON.parse(source);
    const moved = new Set();
    for (const dir of sourceDirs) {
      this.addContextDependency(dir);
      for (const file of sourceFiles(dir, [])) {
        if (file === registerFile) continue;
        for (const id of namedIds(fs.readFileSync(file, 'utf8'), ids)) moved.add(id);
      }
    }
    return JSON.stringify(Object.fromEntries(Object.entries(messages).filter(([id]) => !moved.has(id))));
  }
  if (mode === 'module') {
    const named = namedIds(source, ids);
    if (named.length === 0) return source;
    return `import ${JSON.stringify(`${registerFile}?ids=${encodeURIComponent(named.join(','))}`)};\n${source}`;
  }
  const wanted = new URLSearchParams(this.resourceQuery.slice(1)).get('ids')?.split(',') ?? [];
  const picked = Object.fromEntries(wanted.filter((id) => id in translations).map((id) => [id, translations[id]]));
  return `import translations from '@generated/codeTranslations';\nObject.assign(translations, ${JSON.stringify(picked)});\n`;
};
