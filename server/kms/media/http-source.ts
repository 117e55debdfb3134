/**
 * http(s) sources of players, fetched by Node and handed to ffmpeg through a loopback proxy of their own. ffmpeg never
 * opens a network connection itself, so:
 * - every address a source resolves to (each redirect included) is checked before a connection is made: on a KMS
 *   reachable from the network, loopback, link-local, private and other non-public addresses are refused (a player
 *   must not become a way to probe the machine's own services or the LAN), unless the source is one of the trusted
 *   origins (the site's own, for its sample media) or private sources are allowed by configuration;
 * - a failure is described in plain words (refused address, HTTP status, unreachable), never with the network
 *   library's text, which would tell an open port from a closed one.
 * Range requests pass through, so seeking still works.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, createServer, type IncomingMessage, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import { isIP, type LookupFunction } from 'node:net';

export interface HttpSourcePolicy {
  /** Refuse non-public addresses (a KMS reachable from the network). */
  denyPrivate: boolean;
  /** Origins (scheme://host:port) always allowed, whatever their address. */
  trustedOrigins: readonly string[];
}

export type HttpSourceFailure =
  | { kind: 'refused'; address: string }
  | { kind: 'status'; status: number }
  | { kind: 'unreachable' }
  | { kind: 'redirects' }
  | { kind: 'invalid' };

const MAX_REDIRECTS = 5;
const CONNECT_TIMEOUT_MS = 10000;

function ipv4Number(address: string): number {
  return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

const IPV4_NON_PUBLIC: ReadonlyArray<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

/** Whether an address is anything but a public unicast address (loopback, link-local, private, reserved, …). */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) {
    const value = ipv4Number(address);
    return IPV4_NON_PUBLIC.some(([base, bits]) => {
      const size = 2 ** (32 - bits);
      const start = ipv4Number(base);
      return value >= start && value < start + size;
    });
  }
  if (family === 6) {
    const lower = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped?.[1]) return isNonPublicAddress(mapped[1]);
    if (lower === '::' || lower === '::1') return true;
    const first = parseInt(lower.split(':')[0] || '0', 16);
    if ((first & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
    if ((first & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
    if ((first & 0xff00) === 0xff00) return true; // multicast
    if (lower.startsWith('2001:db8:') || lower.startsWith('64:ff9b:')) return true;
    return false;
  }
  return true;
}

/** The origin of a URL as the trusted list writes it, default ports included. */
function originOf(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.protocol}//${url.hostname}:${port}`;
}

function normalizedOrigins(origins: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const origin of origins) {
    try {
      set.add(originOf(new URL(origin)));
    } catch {
      // not an origin: ignored
    }
  }
  return set;
}

/** Text for the Error event of a player: what happened, in plain words, and the fix when there is one. */
export function describeHttpFailure(uri: string, failure: HttpSourceFailure): string {
  switch (failure.kind) {
    case 'refused':
      return `Could not open ${uri}: its address ${failure.address} is loopback, link-local or private, and this KMS is reachable from the network, so it does not fetch from such addresses (start it with --allow-private-sources to allow them)`;
    case 'status':
      return `Could not open ${uri}: the server answered HTTP ${failure.status}`;
    case 'redirects':
      return `Could not open ${uri}: too many redirects`;
    case 'invalid':
      return `Could not open ${uri}: not an http(s) URL`;
    default:
      return `Could not open ${uri}: the source could not be reached`;
  }
}

/** Text for the Error event of a recording that could not be uploaded (curlhttpsink's words for an HTTP status). */
export function describeUploadFailure(uri: string, failure: HttpUploadFailure): string {
  switch (failure.kind) {
    case 'status':
      return `Error code 10: HTTP response error code: ${failure.status} (uploading the recording to ${uri})`;
    case 'refused':
      return `Error code 10: Could not upload the recording to ${uri}: its address ${failure.address} is loopback, link-local or private, and this KMS is reachable from the network, so it does not send to such addresses (start it with --allow-private-sources to allow them)`;
    case 'cut':
      return `Error code 10: The upload of the recording to ${uri} was cut short`;
    default:
      return `Error code 10: Could not upload the recording to ${uri}: the server could not be reached`;
  }
}

/**
 * A DNS lookup for http(s) requests that refuses non-public addresses (unless `skipCheck`): the check runs on the
 * addresses the connection will really use, so a name that resolves differently a second time (DNS rebinding) gains
 * nothing. `refused` learns the address that was refused.
 */
export function guardedLookup(skipCheck: boolean, refused: (address: string) => void): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        (callback as (error: Error | null, address: string | LookupAddress[], family?: number) => void)(error, '', 0);
        return;
      }
      const list = addresses as LookupAddress[];
      const bad = skipCheck ? undefined : list.find((entry) => isNonPublicAddress(entry.address));
      if (bad) {
        refused(bad.address);
        (callback as (error: Error | null, address: string | LookupAddress[], family?: number) => void)(new Error('address not allowed'), '', 0);
        return;
      }
      if ((options as { all?: boolean }).all) (callback as (error: Error | null, addresses: LookupAddress[]) => void)(null, list);
      else (callback as (error: Error | null, address: string, family: number) => void)(null, list[0]?.address ?? '', list[0]?.family ?? 4);
    });
  };
}

/**
 * Whether a policy lets a URL through without the address check: a KMS reachable from loopback only, or one of the
 * trusted origins.
 */
export function trustedWithoutCheck(url: URL, policy: HttpSourcePolicy): boolean {
  return !policy.denyPrivate || normalizedOrigins(policy.trustedOrigins).has(originOf(url));
}

export type HttpUploadFailure = HttpSourceFailure | { kind: 'cut' };

/**
 * A recording uploaded while it is made, as KMS' recorder does with an http(s) URI (GStreamer's curlhttpsink): one
 * POST with `Transfer-Encoding: chunked` and the container's Content-Type, user:password of the URI as credentials,
 * redirects not followed, a response outside 100-299 a failure (curlhttpsink's "HTTP response error code"). The
 * address is checked as the players' sources are.
 */
export class GuardedHttpUpload {
  private readonly request: ReturnType<typeof httpRequest>;
  private readonly settled: Promise<HttpUploadFailure | undefined>;
  /** Set as soon as the upload failed (the server answered an error, or could not be reached). */
  failure: HttpUploadFailure | undefined;

  constructor(readonly url: string, contentType: string, policy: HttpSourcePolicy, onFailure: (failure: HttpUploadFailure) => void) {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const skipCheck = trustedWithoutCheck(target, policy);
    let refusedAddress: string | undefined;
    const headers: Record<string, string> = { 'content-type': contentType, 'transfer-encoding': 'chunked', 'user-agent': 'Kurento-Labs-embedded-KMS' };
    if (target.username || target.password) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const fail = (failure: HttpUploadFailure): HttpUploadFailure => {
      if (!this.failure) {
        this.failure = failure;
        onFailure(failure);
      }
      return failure;
    };
    this.request = send(target, { method: 'POST', headers, lookup: guardedLookup(skipCheck, (address) => void (refusedAddress = address)), timeout: CONNECT_TIMEOUT_MS, rejectUnauthorized: false });
    this.settled = new Promise((resolve) => {
      if (!skipCheck && isIP(host) !== 0 && isNonPublicAddress(host)) {
        this.request.destroy();
        resolve(fail({ kind: 'refused', address: host }));
        return;
      }
      this.request.on('response', (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        if (status < 100 || status >= 300) {
          resolve(fail({ kind: 'status', status }));
          this.request.destroy();
          return;
        }
        res.on('end', () => resolve(undefined));
      });
      this.request.on('timeout', () => this.request.destroy(new Error('timeout')));
      this.request.on('error', () => resolve(this.failure ?? fail(refusedAddress ? { kind: 'refused', address: refusedAddress } : { kind: 'unreachable' })));
    });
  }

  /** The body, as it is made. */
  get body(): NodeJS.WritableStream {
    return this.request;
  }

  /** Resolves once the server answered the whole upload (undefined) or it failed. */
  finished(): Promise<HttpUploadFailure | undefined> {
    return this.settled;
  }

  abort(): void {
    this.request.destroy();
  }
}

/**
 * One player's source: a loopback HTTP server on a random port and a random path that ffmpeg reads from; each of its
 * requests is fetched from the source, checked as above.
 */
export class GuardedHttpSource {
  private server: Server | undefined;
  private readonly token = randomBytes(12).toString('hex');
  /** Why the last fetch failed, if it did. */
  lastFailure: HttpSourceFailure | undefined;

  constructor(readonly url: string, private readonly policy: HttpSourcePolicy) {}

  /** The URL ffmpeg and ffprobe read (valid after open()). */
  get localUrl(): string {
    const address = this.server?.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return `http://127.0.0.1:${port}/${this.token}`;
  }

  async open(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      if (req.url !== `/${this.token}` || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404).end();
        return;
      }
      const headers: Record<string, string> = {};
      if (typeof req.headers.range === 'string') headers.range = req.headers.range;
      void this.fetch(this.url, req.method, headers, 0).then(
        (upstream) => {
          const pass: Record<string, string> = {};
          for (const name of ['content-type', 'content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag']) {
            const value = upstream.headers[name];
            if (typeof value === 'string') pass[name] = value;
          }
          res.writeHead(upstream.statusCode ?? 502, pass);
          upstream.pipe(res);
          res.on('close', () => upstream.destroy());
        },
        () => {
          res.writeHead(502).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private allowedWithoutCheck(url: URL): boolean {
    return trustedWithoutCheck(url, this.policy);
  }

  /** Fetches `target`, following redirects with the same checks; rejects (after recording lastFailure) on failure. */
  private fetch(target: string, method: string, headers: Record<string, string>, redirects: number): Promise<IncomingMessage> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return this.fail({ kind: 'invalid' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return this.fail({ kind: 'invalid' });
    const skipCheck = this.allowedWithoutCheck(url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!skipCheck && isIP(host) !== 0 && isNonPublicAddress(host)) return this.fail({ kind: 'refused', address: host });
    let refusedAddress: string | undefined;
    const lookup = guardedLookup(skipCheck, (address) => void (refusedAddress = address));
    return new Promise<IncomingMessage>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method,
          headers: { 'user-agent': 'Kurento-Labs-embedded-KMS', ...headers },
          lookup,
          timeout: CONNECT_TIMEOUT_MS,
          // Like ffmpeg's own http(s) input (tls_verify 0): a workshop site's self-signed certificate must play.
          rejectUnauthorized: false,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const location = res.headers.location;
          if (status >= 300 && status < 400 && location) {
            res.resume();
            if (redirects >= MAX_REDIRECTS) {
              this.fail({ kind: 'redirects' }).catch(reject);
              return;
            }
            this.fetch(new URL(location, url).toString(), method, headers, redirects + 1).then(resolve, reject);
            return;
          }
          if (status >= 400) {
            this.lastFailure = { kind: 'status', status };
          } else {
            this.lastFailure = undefined;
          }
          resolve(res);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        this.fail(refusedAddress ? { kind: 'refused', address: refusedAddress } : { kind: 'unreachable' }).catch(reject);
      });
      req.end();
    });
  }

  private fail(failure: HttpSourceFailure): Promise<never> {
    this.lastFailure = failure;
    return Promise.reject(new Error(failure.kind));
  }
}
