/**
 * URIs of players and recorders. file:// URIs are confined to the server's media directory by their real paths:
 * path traversal is refused before any process sees the URI, and symbolic links (of the file or of any folder above
 * it) are resolved when the file is opened, so a link inside the media directory cannot lead a player or a recorder
 * outside it. Players may also read http:// and https:// (through a guarded fetcher, see media/http-source.ts).
 */
import { closeSync, constants, fstatSync, ftruncateSync, lstatSync, mkdirSync, openSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { KmsError } from '../errors';

export type MediaUri = { kind: 'file'; path: string; uri: string } | { kind: 'http'; url: string; uri: string };

function refuse(uri: string, why: string): KmsError {
  return new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', `URI '${uri}' refused: ${why}`);
}

function inside(root: string, file: string): boolean {
  return file === root || file.startsWith(root + path.sep);
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
  if (!inside(root, file)) {
    throw refuse(uri, `files must be inside the media directory of this server (${root}); start it with --media-dir to choose another`);
  }
  if (file === root || raw.endsWith('/')) throw refuse(uri, 'it names a folder, not a file');
  // A file that already exists is checked by its real path now too (it is checked again whenever it is opened).
  confinedRealPath(uri, file, root);
  return { kind: 'file', path: file, uri };
}

/** The real path of `file` (or of its nearest existing folder, for a file still to be made), which must be inside root. */
function confinedRealPath(uri: string, file: string, root: string): string {
  const realRoot = realpathSync(root);
  let existing = file;
  const missing: string[] = [];
  for (;;) {
    try {
      lstatSync(existing);
      break;
    } catch {
      if (existing === path.dirname(existing)) break;
      missing.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    // A dangling symbolic link: where it points does not exist, so nothing may be made through it.
    throw refuse(uri, 'it goes through a symbolic link that points nowhere');
  }
  if (!inside(realRoot, real)) throw refuse(uri, 'it leads out of the media directory through a symbolic link');
  return path.join(real, ...missing);
}

/** The path of an opened file descriptor (Linux), to check where an open really landed. */
function openedPath(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

function checkOpened(uri: string, fd: number, root: string): void {
  const real = openedPath(fd);
  if (real !== undefined && !inside(realpathSync(root), real)) {
    closeSync(fd);
    throw refuse(uri, 'it leads out of the media directory through a symbolic link');
  }
}

/**
 * Opens a media file for reading, confined by real path: the descriptor is handed to the process that reads it, so
 * what was checked is what is read, even if a link is swapped in between. Throws URI_PATH_FILE_NOT_FOUND when missing.
 */
export function openForReading(uri: string, file: string, mediaDirectory: string): number {
  const root = path.resolve(mediaDirectory);
  const real = confinedRealPath(uri, file, root);
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new KmsError('URI_PATH_FILE_NOT_FOUND', `No such file: ${uri}`);
    throw new KmsError('URI_PATH_FILE_NOT_FOUND', `Cannot open ${uri}: ${code ?? String(error)}`);
  }
  checkOpened(uri, fd, root);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw refuse(uri, 'it is not a regular file');
  }
  return fd;
}

/**
 * Opens (making it and its folders when needed) a recording file, confined by real path: the folders are checked
 * before they are made, the final name is never followed as a link, and the file is emptied only after the check.
 */
export function openForWriting(uri: string, file: string, mediaDirectory: string): number {
  const root = path.resolve(mediaDirectory);
  // The nearest existing folder must be inside by its real path before mkdir can follow a link anywhere.
  confinedRealPath(uri, path.dirname(file), root);
  mkdirSync(path.dirname(file), { recursive: true });
  const real = confinedRealPath(uri, file, root);
  let fd: number;
  try {
    fd = openSync(real, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw refuse(uri, 'the file is a symbolic link');
    throw error;
  }
  checkOpened(uri, fd, root);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw refuse(uri, 'it is not a regular file');
  }
  ftruncateSync(fd, 0);
  return fd;
}

/**
 * Makes the media directory when it is missing (only its owner may enter a new one) and checks an existing one: it
 * must belong to the user the server runs as, so that nobody else decides what is inside it (links, files) or reads
 * what is recorded there. A shared folder such as /tmp is where this matters.
 */
export function prepareMediaDirectory(directory: string): void {
  const root = path.resolve(directory);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const real = realpathSync(root);
  const stat = lstatSync(real);
  if (!stat.isDirectory()) throw new Error(`the media directory ${root} is not a folder`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new Error(`the media directory ${root} belongs to another user (uid ${stat.uid}); choose another with --media-dir`);
  }
}
