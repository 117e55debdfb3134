/**
 * Where the labs find their KMS and ICE servers. Pure functions, shared by the site, the Playwright checks and the
 * unit tests. Precedence (highest first), as in the design:
 *   KMS URL:     settings panel > `?kms=` (or the official tutorials' `?ws_uri=`) > KMS_URL at start > KMS_URL at
 *                build > the embedded server on the page's own host, port 8888, path /kurento.
 *   ICE servers: settings panel > `?ice_servers=<JSON>` > ICE_SERVERS at start > ICE_SERVERS at build > none.
 */

export type SettingSource = 'panel' | 'query' | 'start' | 'build' | 'default';

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface StoredSettings {
  kmsUrl?: string;
  iceServers?: string;
}

export interface SettingsInputs {
  /** What the learner saved in the settings panel (localStorage). */
  stored?: StoredSettings;
  /** The page's query string, e.g. `?kms=ws://10.0.0.5:8888/kurento`. */
  search?: string;
  /** Values `npm start` serves at run time (KMS_URL / ICE_SERVERS of the server process). */
  runtime?: StoredSettings;
  /** Values baked into the build (KMS_URL / ICE_SERVERS at `docusaurus build`). */
  build?: StoredSettings;
  /** The page location: protocol (`http:`/`https:`) and hostname. */
  location: { protocol: string; hostname: string };
  /** Where `npm start` runs the embedded KMS (port and path), when it runs one. */
  embedded?: EmbeddedKms | null;
}

export interface EmbeddedKms {
  port: number;
  path: string;
  secure?: boolean;
}

export interface ResolvedSettings {
  kmsUrl: string;
  kmsUrlSource: SettingSource;
  iceServers: IceServer[];
  iceServersSource: SettingSource;
  /**
   * The KMS URL is the embedded KMS that `npm start` runs beside this site (its media folder is then known and served
   * under /kms-media/); false for any other KMS, even when the site runs one.
   */
  usesEmbeddedKms: boolean;
  /** Inputs that were skipped because they are invalid (the settings panel explains each one). */
  warnings: SettingsWarning[];
}

export const KMS_DEFAULT_PORT = 8888;
export const KMS_DEFAULT_PATH = '/kurento';

/**
 * The embedded KMS on the page's own host: ws://host:8888/kurento, or wss:// when the page itself is served over https
 * (a ws:// URL would be blocked as mixed content).
 */
export function defaultKmsUrl(location: { protocol: string; hostname: string }, embedded?: EmbeddedKms | null): string {
  const scheme = location.protocol === 'https:' || embedded?.secure ? 'wss' : 'ws';
  const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname || '127.0.0.1';
  const port = embedded?.port ?? KMS_DEFAULT_PORT;
  const path = embedded?.path ? `/${embedded.path.replace(/^\/+/, '')}` : KMS_DEFAULT_PATH;
  return `${scheme}://${host}:${port}${path}`;
}

/** Why a KMS URL was refused; the UI turns each code into a translated sentence. */
export type KmsUrlProblem =
  | { code: 'kms-url-empty' }
  | { code: 'kms-url-invalid'; value: string }
  | { code: 'kms-url-scheme'; value: string; scheme: string };

/** Why an ICE server list was refused; `index` counts from 1. */
export type IceServersProblem =
  | { code: 'ice-json' }
  | { code: 'ice-entry'; index: number }
  | { code: 'ice-urls'; index: number }
  | { code: 'ice-turn-credentials'; index: number };

export type SettingsWarning = { source: SettingSource; problem: KmsUrlProblem | IceServersProblem };

export type KmsUrlCheck = { ok: true; url: string } | { ok: false; problem: KmsUrlProblem };

/** Accepts ws:// and wss:// URLs only; returns the normalised URL or the reason it was refused. */
export function checkKmsUrl(raw: string): KmsUrlCheck {
  const value = raw.trim();
  if (value === '') return { ok: false, problem: { code: 'kms-url-empty' } };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, problem: { code: 'kms-url-invalid', value } };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    return { ok: false, problem: { code: 'kms-url-scheme', value, scheme: url.protocol.replace(/:$/, '') } };
  }
  return { ok: true, url: url.toString() };
}

export type IceServersCheck = { ok: true; servers: IceServer[] } | { ok: false; problem: IceServersProblem };

/** Parses the JSON of an RTCIceServer list, as the official tutorials' `ice_servers` parameter. */
export function parseIceServers(raw: string): IceServersCheck {
  const value = raw.trim();
  if (value === '') return { ok: true, servers: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { ok: false, problem: { code: 'ice-json' } };
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const servers: IceServer[] = [];
  for (const [index, entry] of list.entries()) {
    if (typeof entry !== 'object' || entry === null) {
      return { ok: false, problem: { code: 'ice-entry', index: index + 1 } };
    }
    const record = entry as Record<string, unknown>;
    const urls = record.urls ?? record.url;
    const urlList = typeof urls === 'string' ? [urls] : Array.isArray(urls) ? urls : [];
    if (urlList.length === 0 || !urlList.every((u): u is string => typeof u === 'string' && /^(stun|stuns|turn|turns):/.test(u))) {
      return { ok: false, problem: { code: 'ice-urls', index: index + 1 } };
    }
    if (urlList.some((u) => u.startsWith('turn')) && (typeof record.username !== 'string' || typeof record.credential !== 'string')) {
      return { ok: false, problem: { code: 'ice-turn-credentials', index: index + 1 } };
    }
    const server: IceServer = { urls: typeof urls === 'string' ? urls : urlList };
    if (typeof record.username === 'string') server.username = record.username;
    if (typeof record.credential === 'string') server.credential = record.credential;
    servers.push(server);
  }
  return { ok: true, servers };
}

function queryValue(search: string | undefined, ...names: string[]): string | undefined {
  if (!search) return undefined;
  const params = new URLSearchParams(search);
  for (const name of names) {
    const value = params.get(name);
    if (value !== null && value.trim() !== '') return value;
  }
  return undefined;
}

export function resolveSettings(inputs: SettingsInputs): ResolvedSettings {
  const warnings: SettingsWarning[] = [];

  const kmsCandidates: Array<[SettingSource, string | undefined]> = [
    ['panel', inputs.stored?.kmsUrl],
    ['query', queryValue(inputs.search, 'kms', 'ws_uri')],
    ['start', inputs.runtime?.kmsUrl],
    ['build', inputs.build?.kmsUrl],
  ];
  let kmsUrl = defaultKmsUrl(inputs.location, inputs.embedded);
  let kmsUrlSource: SettingSource = 'default';
  for (const [source, raw] of kmsCandidates) {
    if (raw === undefined || raw.trim() === '') continue;
    const checked = checkKmsUrl(raw);
    if (checked.ok) {
      kmsUrl = checked.url;
      kmsUrlSource = source;
      break;
    }
    warnings.push({ source, problem: checked.problem });
  }

  const iceCandidates: Array<[SettingSource, string | undefined]> = [
    ['panel', inputs.stored?.iceServers],
    ['query', queryValue(inputs.search, 'ice_servers', 'ice')],
    ['start', inputs.runtime?.iceServers],
    ['build', inputs.build?.iceServers],
  ];
  let iceServers: IceServer[] = [];
  let iceServersSource: SettingSource = 'default';
  for (const [source, raw] of iceCandidates) {
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = parseIceServers(raw);
    if (parsed.ok) {
      iceServers = parsed.servers;
      iceServersSource = source;
      break;
    }
    warnings.push({ source, problem: parsed.problem });
  }

  const usesEmbeddedKms = inputs.embedded !== null && inputs.embedded !== undefined && sameUrl(kmsUrl, defaultKmsUrl(inputs.location, inputs.embedded));
  return { kmsUrl, kmsUrlSource, iceServers, iceServersSource, usesEmbeddedKms, warnings };
}

/** The same KMS: scheme, host, port and path (a query such as ?token=… does not make it another server). */
function sameUrl(a: string, b: string): boolean {
  try {
    const [x, y] = [new URL(a), new URL(b)];
    return x.protocol === y.protocol && x.host === y.host && x.pathname === y.pathname;
  } catch {
    return false;
  }
}

/** A TURN server as both sides need it: the browser's RTCIceServer, and KMS' turnURL (`user:password@ip:port?transport=…`). */
export interface TurnSettings {
  urls: string;
  username: string;
  credential: string;
  /** KMS format; empty when the TURN host is a name (KMS only takes IP addresses). */
  kmsTurnUrl: string;
  transport: 'udp' | 'tcp' | 'tls';
  source: SettingSource;
}

/** Turns a browser TURN entry (`turn:10.0.0.1:3478?transport=tcp`) into both forms. */
export function turnFromIceServer(server: IceServer, source: SettingSource): TurnSettings | undefined {
  const urls = Array.isArray(server.urls) ? server.urls : [server.urls];
  const url = urls.find((candidate) => /^turns?:/.test(candidate));
  if (!url || server.username === undefined || server.credential === undefined) return undefined;
  const match = /^(turns?):([^:?]+|\[[^\]]+\])(?::(\d+))?(?:\?transport=(udp|tcp))?$/.exec(url);
  if (!match) return undefined;
  const [, scheme = 'turn', host = '', port = scheme === 'turns' ? '5349' : '3478', transportParam] = match;
  const transport: TurnSettings['transport'] = scheme === 'turns' ? 'tls' : transportParam === 'tcp' ? 'tcp' : 'udp';
  const kmsTurnUrl = /^[\d.]+$/.test(host) ? `${server.username}:${server.credential}@${host}:${port}?transport=${transport}` : '';
  return { urls: url, username: server.username, credential: server.credential, kmsTurnUrl, transport, source };
}

/**
 * The TURN server the labs use: the first TURN entry of the learner's ICE servers (panel, query, TURN_URL/ICE_SERVERS
 * at start or build), else the coturn that `npm start` runs.
 */
export function resolveTurn(resolved: ResolvedSettings, runtimeTurn: Omit<TurnSettings, 'source'> | null | undefined): TurnSettings | undefined {
  for (const server of resolved.iceServers) {
    const turn = turnFromIceServer(server, resolved.iceServersSource);
    if (turn) return turn;
  }
  return runtimeTurn ? { ...runtimeTurn, source: 'start' } : undefined;
}
