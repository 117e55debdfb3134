/**
 * Configuration of the embedded KMS, with the names of KMS' own files: kurento.conf.json (port, path,
 * garbageCollectorPeriod), WebRtcEndpoint.conf.ini (stunServerAddress, stunServerPort, turnURL, externalIPv4,
 * networkInterfaces, iceTcp) and BaseRtpEndpoint.conf.ini (minPort, maxPort).
 */
import type { Placement } from './workers/placement';
import path from 'node:path';

export interface KmsConfig {
  /** Address to listen on; loopback unless told otherwise. */
  host: string;
  port: number;
  /** WebSocket path, without the leading slash, like `mediaServer.net.websocket.path`. */
  path: string;
  /**
   * Origins allowed to open the WebSocket. Requests without an Origin header (Node clients) are always allowed;
   * browsers always send one.
   */
  allowedOrigins: string[];
  /** Largest accepted WebSocket frame, in bytes. */
  maxFrameBytes: number;
  /** Seconds between garbage collections of sessions without a connection (KMS default 240). */
  garbageCollectorPeriod: number;
  /** Folder that file:// URIs of players and recorders are confined to. */
  mediaDirectory: string;
  stunServerAddress: string | undefined;
  stunServerPort: number;
  turnUrl: string | undefined;
  externalIPv4: string | undefined;
  networkInterfaces: string | undefined;
  iceTcp: boolean;
  minPort: number;
  maxPort: number;
  /** TLS for wss:// (workshop mode). */
  tls?: { cert: string; key: string };
  /**
   * Who can reach this KMS: `loopback` (only this machine; the default when `host` is a loopback address) or
   * `network` (a workshop on the LAN, a KMS of a pool). With `network`, clients from other machines need an allowed
   * Origin or the access token, their pages see only their own objects, and players refuse http(s) sources on
   * loopback, link-local and private addresses (unless allowPrivateSources). Media sockets follow: loopback only, or
   * every interface.
   */
  reach?: 'loopback' | 'network';
  /** Lets clients from other machines in without a browser Origin (`?token=` in the URL, or `Authorization: Bearer`). */
  accessToken?: string;
  /** Players may read http(s) sources on loopback, link-local and private addresses even when reach is `network`. */
  allowPrivateSources?: boolean;
  /** http(s) origins players may always read, whatever their address (the site's own origins, for its sample media). */
  trustedSources?: string[];
  /**
   * Scheme, host and port HttpEndpoint.getUrl() announces (KMS' announcedAddress), e.g. the site's https origin in
   * workshop mode; by default the KMS's own address and port.
   */
  httpAnnouncedBase?: string;
  /**
   * Worker threads the pipelines run on (each pipeline with all its elements on one), or 0 for every object in the
   * protocol's own thread. `npm start` and `npm run kms` default to one per core.
   */
  workers: number;
  /**
   * Which worker a new pipeline goes to (workers/placement.ts): `fill`, the first with room (light loads stay on one
   * thread, which costs less CPU per packet), or `spread`, the one with the fewest pipelines.
   */
  placement: Placement;
  /** Largest body an HttpPostEndpoint accepts, in bytes. */
  maxUploadBytes: number;
  /** The default turnURL at the moment an endpoint is created (time-limited credentials); wins over `turnUrl`. */
  turnUrlProvider?: () => string | undefined;
}

export function isLoopbackHost(host: string): boolean {
  return /^127\./.test(host) || host === '::1' || host === 'localhost' || host === '[::1]';
}

/** The reach of a configuration: as given, or from the listening address. */
export function reachOf(config: Pick<KmsConfig, 'host' | 'reach'>): 'loopback' | 'network' {
  return config.reach ?? (isLoopbackHost(config.host) ? 'loopback' : 'network');
}

export function defaultKmsConfig(root = process.cwd()): KmsConfig {
  return {
    host: '127.0.0.1',
    port: 8888,
    path: 'kurento',
    allowedOrigins: [],
    maxFrameBytes: 1024 * 1024,
    garbageCollectorPeriod: 240,
    mediaDirectory: path.join(root, 'var', 'media'),
    stunServerAddress: undefined,
    stunServerPort: 3478,
    turnUrl: undefined,
    externalIPv4: undefined,
    networkInterfaces: undefined,
    iceTcp: false,
    minPort: 0,
    maxPort: 0,
    maxUploadBytes: 256 * 1024 * 1024,
    workers: 0,
    placement: 'fill',
  };
}

/** KMS' turnURL format: `user:password@address:port[?transport=udp|tcp|tls]` (address: IP only, as in kmswebrtcsession.c). */
export interface TurnUrl {
  user: string;
  password: string;
  address: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
}

export function parseTurnUrl(value: string): TurnUrl | undefined {
  const match = /^(.+):(.+)@([0-9.]+):([0-9]+)(?:\?transport=(udp|tcp|tls))?$/.exec(value.trim());
  if (!match) return undefined;
  const [, user = '', password = '', address = '', port = '', transport = 'udp'] = match;
  // The greedy `user` group would swallow a colon in the password; KMS has the same rule, so keep it.
  return { user, password, address, port: Number(port), transport: transport as TurnUrl['transport'] };
}
