/**
 * The site's static files, served by `send` (pillarjs, the library behind Express's static middleware): ETag and
 * Last-Modified with 304 answers, byte ranges (a recording in /kms-media/ can be seeked in a <video>), HEAD. Around it
 * only the project's own rules:
 * - URL paths map onto a Docusaurus build made with `trailingSlash: false` (`/docs/intro` is docs/intro.html);
 * - files are confined by their real path to the served folder: a symbolic link cannot serve a file from elsewhere;
 * - text assets are sent precompressed (brotli or gzip, made at build time: src/plugins/precompress.ts) to clients
 *   that accept them, with `Vary: Accept-Encoding`;
 * - unknown paths get the site's own 404 page (per locale) with status 404;
 * - webpack's content-hashed /assets/, and files of a versioned prefix asked for with a `v` query, may be kept for a
 *   year (immutable); everything else is revalidated (no-cache).
 */
import { constants } from 'node:fs';
import { open, readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import send from 'send';

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
  '.zip': 'application/zip',
};

/** The precompressed siblings a text asset may have, in order of preference. */
const ENCODINGS = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

function inside(root: string, file: string): boolean {
  return file === root || file.startsWith(root + path.sep);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The real path of `file` when it is a regular file inside `root` by its real path, else undefined. */
export async function confinedFile(root: string, file: string): Promise<string | undefined> {
  try {
    const [realRoot, real] = await Promise.all([realpath(root), realpath(file)]);
    if (!inside(realRoot, real)) return undefined;
    // O_NOFOLLOW on the resolved path: a link swapped in since realpath() is refused, not followed.
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return (await handle.stat()).isFile() ? real : undefined;
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * Maps a URL path onto a file of a Docusaurus build made with `trailingSlash: false`: `/docs/intro` is
 * `docs/intro.html`, `/` and `/zh-Hans/` are `index.html` files, assets are themselves. Paths never leave `root`
 * (and the caller checks real paths with confinedFile).
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
  if (!inside(root, base)) return undefined;
  const candidates = relative === '' || relative.endsWith('/') ? [path.join(base, 'index.html')] : [base, `${base}.html`, path.join(base, 'index.html')];
  for (const candidate of candidates) {
    if (await isFile(candidate)) return candidate;
  }
  return undefined;
}

/** The encodings a request accepts (`Accept-Encoding`), ignoring q=0. */
function accepted(req: IncomingMessage): Set<string> {
  const header = String(req.headers['accept-encoding'] ?? '');
  const result = new Set<string>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param))) continue;
    if (name) result.add(name);
  }
  return result;
}

export interface StaticOptions {
  /** Unknown paths get the site's 404 page (default true); folders such as /kms-media/ answer a plain 404. */
  notFoundPage?: boolean;
  /** Look for .br / .gz siblings made at build time (default true). */
  precompressed?: boolean;
  /**
   * URL path prefixes whose files any page may read (Access-Control-Allow-Origin: *): the sample media, which an app
   * exported from a lab loads from this site into a canvas it captures (a picture without CORS taints the canvas).
   */
  publicPrefixes?: readonly string[];
  /**
   * URL path prefixes whose files the site links with a `v` query holding a hash of their contents (the kurento-client
   * and kurento-utils bundles under /vendor/, whose names stay stable for learners): asked for with `v`, a file is
   * immutable, as new contents come with a new `v`; asked for without, it is revalidated like any other file.
   */
  versionedPrefixes?: readonly string[];
}

/** Serves `root` (the build, or a folder such as the KMS's media directory). */
export function createStaticHandler(root: string, options: StaticOptions = {}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const notFoundPage = options.notFoundPage ?? true;
  const precompressed = options.precompressed ?? true;
  const publicPrefixes = options.publicPrefixes ?? [];
  const versionedPrefixes = options.versionedPrefixes ?? [];
  const absoluteRoot = path.resolve(root);

  const notFound = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    const localized = pathname.startsWith('/zh-Hans/') ? path.join(absoluteRoot, 'zh-Hans', '404.html') : undefined;
    const page = notFoundPage ? ((localized && (await confinedFile(absoluteRoot, localized))) ?? (await confinedFile(absoluteRoot, path.join(absoluteRoot, '404.html')))) : undefined;
    if (!page) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end('Not found');
      return;
    }
    const body = await readFile(page);
    res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = url.pathname;
    const candidate = await resolveBuildFile(absoluteRoot, pathname);
    const file = candidate ? await confinedFile(absoluteRoot, candidate) : undefined;
    if (!file) {
      await notFound(req, res, pathname);
      return;
    }
    const extension = path.extname(file).toLowerCase();
    const type = CONTENT_TYPES[extension] ?? 'application/octet-stream';
    let served = file;
    let encoding: string | undefined;
    let hasVariants = false;
    if (precompressed) {
      const wanted = accepted(req);
      for (const variant of ENCODINGS) {
        const sibling = await confinedFile(absoluteRoot, `${file}${variant.suffix}`);
        if (!sibling) continue;
        hasVariants = true;
        if (!encoding && wanted.has(variant.encoding)) {
          served = sibling;
          encoding = variant.encoding;
        }
      }
    }
    const immutable = /\/assets\//.test(file) || (url.searchParams.has('v') && versionedPrefixes.some((prefix) => pathname.startsWith(prefix)));
    const readableByAll = publicPrefixes.some((prefix) => pathname.startsWith(prefix));
    await new Promise<void>((resolve) => {
      const stream = send(req, served, { etag: true, lastModified: true, cacheControl: false, dotfiles: 'allow', index: false, acceptRanges: true });
      stream.on('headers', (response: ServerResponse) => {
        response.setHeader('Content-Type', type);
        response.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        response.setHeader('X-Content-Type-Options', 'nosniff');
        if (encoding) response.setHeader('Content-Encoding', encoding);
        if (hasVariants) response.setHeader('Vary', 'Accept-Encoding');
        if (readableByAll) response.setHeader('Access-Control-Allow-Origin', '*');
      });
      stream.on('error', (error: { status?: number }) => {
        if (!res.headersSent) res.writeHead(error.status && error.status < 500 ? error.status : 404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        else res.destroy();
        resolve();
      });
      res.on('finish', () => resolve());
      res.on('close', () => resolve());
      stream.pipe(res);
    });
  };
}
