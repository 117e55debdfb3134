/**
 * URIs of players and recorders. file:// URIs are confined to the server's media directory (anything else, path
 * traversal included, is refused before any process sees it); players may also read http:// and https://.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { KmsError } from '../errors';

export type MediaUri = { kind: 'file'; path: string; uri: string } | { kind: 'http'; url: string; uri: string };

function refuse(uri: string, why: string): KmsError {
  return new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', `URI '${uri}' refused: ${why}`);
}

export function resolveMediaUri(uri: string, mediaDirectory: string, options: { allowHttp: boolean }): MediaUri {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw refuse(uri, 'it is not a URI (expected file:///… or http(s)://…)');
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    if (!options.allowHttp) throw refuse(uri, 'this element writes files; only file:// URIs inside the media directory are accepted');
    return { kind: 'http', url: parsed.toString(), uri };
  }
  if (parsed.protocol !== 'file:') throw refuse(uri, `the ${parsed.protocol.replace(':', '')} scheme is not supported by the embedded server`);
  if (parsed.host !== '' && parsed.host !== 'localhost') throw refuse(uri, 'a file:// URI names a file on this server: file:///path');
  const raw = decodeURIComponent(parsed.pathname);
  if (raw.includes('\0')) throw refuse(uri, 'the path contains a NUL byte');
  const root = path.resolve(mediaDirectory);
  // Relative segments are resolved before the check, so /media/../etc/passwd is seen for what it is.
  const file = path.resolve(raw);
  if (file !== root && !file.startsWith(root + path.sep)) {
    throw refuse(uri, `files must be inside the media directory of this server (${root}); start it with --media-dir to choose another`);
  }
  if (file === root || raw.endsWith('/')) throw refuse(uri, 'it names a folder, not a file');
  return { kind: 'file', path: file, uri };
}

/** Makes sure the folder of a recording exists (inside the media directory, which resolveMediaUri guaranteed). */
export function ensureParentFolder(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
}
