import { constants, createReadStream } from 'node:fs';
import { open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.y4m': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function inside(root: string, file: string): boolean {
  return file === root || file.startsWith(root + path.sep);
}

/**
 * Opens a file that must be inside `root` by its real path: symbolic links (of the file or of a folder above it) are
 * resolved first, and where the open really landed is checked again, so a link cannot serve a file from elsewhere.
 */
export async function openConfined(root: string, file: string): Promise<FileHandle | undefined> {
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(file);
  } catch {
    return undefined;
  }
  if (!inside(realRoot, real)) return undefined;
  let handle: FileHandle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => real);
  if (!inside(realRoot, opened) || !(await handle.stat()).isFile()) {
    await handle.close();
    return undefined;
  }
  return handle;
}

/**
 * Maps a URL path onto a file of a Docusaurus build made with `trailingSlash: false`: `/docs/intro` is
 * `docs/intro.html`, `/` and `/zh-Hans/` are `index.html` files, assets are themselves. Paths never leave `root`
 * (the caller opens the result with openConfined, which also checks real paths).
 */
export async function resolveBuildFile(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = path.posix.normalize(decoded).replace(/^\/+/, '');
  const base = path.resolve(root, relative);
  if (base !== root && !base.startsWith(root + path.sep)) return undefined;
  const candidates = relative === '' || relative.endsWith('/')
    ? [path.join(base, 'index.html')]
    : [base, `${base}.html`, path.join(base, 'index.html')];
  for (const candidate of candidates) {
    if (await isFile(candidate)) return candidate;
  }
  return undefined;
}

/** Serves the production build; unknown paths get the site's own 404 page (per locale when it exists). */
export function createStaticHandler(
  root: string,
  options: { notFoundPage?: boolean } = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const notFoundPage = options.notFoundPage ?? true;
  const absoluteRoot = path.resolve(root);
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let file = await resolveBuildFile(absoluteRoot, url.pathname);
    let status = 200;
    if (!file && !notFoundPage) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    if (!file) {
      status = 404;
      const localized = url.pathname.startsWith('/zh-Hans/') ? path.join(absoluteRoot, 'zh-Hans', '404.html') : undefined;
      file = localized && (await isFile(localized)) ? localized : path.join(absoluteRoot, '404.html');
      if (!(await isFile(file))) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
    }
    const handle = await openConfined(absoluteRoot, file);
    if (!handle) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const immutable = /\/assets\//.test(file);
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      await handle.close();
      res.end();
      return;
    }
    // pipeline() destroys the file stream (closing the handle) when the client goes away before the end.
    pipeline(createReadStream('', { fd: handle }), res, () => undefined);
  };
}
