/**
 * The page a lab's program runs in: the same HTML for the lab's iframe on the site and for the index.html of an
 * exported app. It loads kurento-client and kurento-utils (the prebuilt bundles), the page runtime, and holds the
 * lab's videos and a status area.
 */
import type { Locale, LabPage } from '../framework/types';

export const PAGE_CSS = `
body { font-family: system-ui, sans-serif; margin: 0; padding: 8px; background: #fff; color: #1c1e21; }
@media (prefers-color-scheme: dark) { body.follow-scheme { background: #1b1b1d; color: #e3e3e3; } }
body.dark { background: #1b1b1d; color: #e3e3e3; }
#videos { display: flex; flex-wrap: wrap; gap: 8px; }
.tile { margin: 0; display: flex; flex-direction: column; align-items: flex-start; }
.tile video { width: 240px; height: 180px; background: #000; border-radius: 4px; object-fit: contain; }
.tile figcaption { font-size: 12px; opacity: 0.8; margin-top: 2px; }
#status { font: 12px ui-monospace, monospace; margin-top: 6px; max-height: 6em; overflow: auto; }
#status .error { color: #d32f2f; }
`.trim();

export interface PageOptions {
  title: string;
  page: LabPage;
  locale: Locale;
  /** Where the two bundles are (site paths such as /vendor/kurento-client-7.3.0.min.js, or file names in an export). */
  kurentoClientSrc: string;
  kurentoUtilsSrc: string;
  /** The runtime as a file name, or its text to inline (the site's iframe). */
  runtime: { src: string } | { inline: string };
  /** The stylesheet as a file name, or inline. */
  css: { href: string } | { inline: string };
  /** Scripts after the runtime (an exported app: its settings and the runSteps call). */
  after?: string;
  dark?: boolean;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

/** A script's text inside <script>: "</script" in it would end the element. */
function inlineScript(text: string): string {
  return text.replace(/<\/script/gi, '<\\/script');
}

export function pageHtml(options: PageOptions): string {
  const videos = options.page.videos
    .map(
      (video) =>
        `    <figure class="tile"><video id="${escapeHtml(video.id)}" autoplay playsinline${video.muted ? ' muted' : ''}></video><figcaption>${escapeHtml(video.label[options.locale])}</figcaption></figure>`,
    )
    .join('\n');
  const css = 'inline' in options.css ? `<style>\n${options.css.inline}\n</style>` : `<link rel="stylesheet" href="${escapeHtml(options.css.href)}">`;
  const runtime = 'inline' in options.runtime ? `<script>\n${inlineScript(options.runtime.inline)}\n</script>` : `<script src="${escapeHtml(options.runtime.src)}"></script>`;
  return `<!doctype html>
<html lang="${options.locale}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(options.title)}</title>
  ${css}
</head>
<body${options.dark ? ' class="dark"' : ''}>
  <div id="videos">
${videos}
  </div>
  <div id="status" role="log" aria-live="polite"></div>
  <script src="${escapeHtml(options.kurentoClientSrc)}"></script>
  <script src="${escapeHtml(options.kurentoUtilsSrc)}"></script>
  ${runtime}${options.after ? `\n  ${options.after}` : ''}
</body>
</html>
`;
}
