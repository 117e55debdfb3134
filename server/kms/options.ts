/**
 * Command-line options and environment variables of the embedded KMS. The environment variables are the ones of the
 * official Docker image (KMS_STUN_IP, KMS_TURN_URL, KMS_MIN_PORT, …), so the same settings work on both servers.
 */
import { PLACEMENTS, type Placement } from './workers/placement';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultKmsConfig, parseTurnUrl, type KmsConfig } from './config';

export const KMS_OPTIONS_HELP = [
  'Embedded KMS options (each also read from the environment variable in brackets):',
  '  --kms-host ADDRESS        listen address (default 127.0.0.1; --host alone)  [KMS_HOST]',
  '  --kms-port N              WebSocket port (default 8888; --port alone)       [KMS_PORT]',
  '  --allow-origin ORIGIN     allow browsers from ORIGIN (repeatable, * = any,   [KMS_ALLOWED_ORIGINS, comma list]',
  '                            http://host:* = any port; npm run kms default: pages of this machine,',
  '                            http(s)://127.0.0.1:*, localhost:* and [::1]:*)',
  '  --token TOKEN             access token for clients from other machines      [KMS_TOKEN]',
  '                            (made at start and printed when the KMS listens beyond loopback)',
  '  --allow-private-sources   players may fetch http(s) from loopback and private addresses',
  '                            even when the KMS is reachable from the network   [KMS_ALLOW_PRIVATE_SOURCES=1]',
  '  --max-frame BYTES         largest accepted WebSocket frame (default 1 MiB)',
  '  --max-upload BYTES        largest body an HttpPostEndpoint takes (default   [KMS_MAX_UPLOAD]',
  '                            256 MiB)',
  '  --gc-period SECONDS       session garbage collector period (default 240)',
  '  --media-dir PATH          folder for file:// URIs (npm start: var/media;     [KMS_MEDIA_DIR]',
  '                            npm run kms: /tmp/kurento-labs, where the labs record on any KMS but the site\'s own)',
  '  --stun-address IP         STUN server address (IP only, like KMS)           [KMS_STUN_IP]',
  '  --stun-port N             STUN server port (default 3478)                   [KMS_STUN_PORT]',
  '  --turn-url URL            user:password@ip:port?transport=udp|tcp           [KMS_TURN_URL]',
  '  --external-ipv4 IP        announce this address in host candidates          [KMS_EXTERNAL_IPV4]',
  '  --network-interfaces LIST interfaces to gather candidates on               [KMS_NETWORK_INTERFACES]',
  '  --ice-tcp                 also gather ICE-TCP host candidates (KMS: on)     [KMS_ICE_TCP=1]',
  '  --min-port N / --max-port N  UDP port range for media                       [KMS_MIN_PORT / KMS_MAX_PORT]',
  '  --workers N               worker threads for pipelines (default: one per    [KMS_WORKERS]',
  '                            core; 0 = all in the protocol thread)',
  '  --placement fill|spread   where new pipelines go: the first worker with     [KMS_PLACEMENT]',
  '                            room (default), or the one with fewest pipelines',
  '  --log-level LEVEL         debug, info, warn, error (default info)           [KMS_LOG]',
].join('\n');

/**
 * Browser origins the standalone KMS accepts when no --allow-origin is given: pages served by this machine on any port
 * (this site from `npm start` on any --port, `labs:check`'s own site, a tutorial on a local static server). No page
 * from elsewhere can carry these origins.
 */
export const STANDALONE_ORIGINS = [
  'http://127.0.0.1:*',
  'http://localhost:*',
  'http://[::1]:*',
  'https://127.0.0.1:*',
  'https://localhost:*',
  'https://[::1]:*',
] as const;

/** Where `npm run kms` reads and writes files unless told otherwise: the folder the labs use on any KMS but the site's own. */
export const STANDALONE_MEDIA_DIR = '/tmp/kurento-labs';

export const kmsArgOptions = {
  'kms-host': { type: 'string' },
  'kms-port': { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  token: { type: 'string' },
  'allow-private-sources': { type: 'boolean' },
  'max-frame': { type: 'string' },
  'max-upload': { type: 'string' },
  'gc-period': { type: 'string' },
  'media-dir': { type: 'string' },
  'stun-address': { type: 'string' },
  'stun-port': { type: 'string' },
  'turn-url': { type: 'string' },
  'external-ipv4': { type: 'string' },
  'network-interfaces': { type: 'string' },
  'ice-tcp': { type: 'boolean' },
  'min-port': { type: 'string' },
  'max-port': { type: 'string' },
  'log-level': { type: 'string' },
  workers: { type: 'string' },
  placement: { type: 'string' },
} as const;

type KmsArgs = Partial<Record<keyof typeof kmsArgOptions, string | string[] | boolean | undefined>>;

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new Error(`${name} must be an integer between ${min} and ${max}, not "${value}"`);
  return parsed;
}

/** Builds a KMS configuration from parsed arguments, then the environment, then the defaults. */
export function kmsConfigFrom(args: KmsArgs, env: NodeJS.ProcessEnv, root: string): Partial<KmsConfig> & { logLevel?: string } {
  const pick = (arg: keyof typeof kmsArgOptions, envName?: string): string | undefined => {
    const value = args[arg];
    if (typeof value === 'string') return value;
    return envName ? env[envName] || undefined : undefined;
  };
  const defaults = defaultKmsConfig(root);
  const config: Partial<KmsConfig> & { logLevel?: string } = {};
  const host = pick('kms-host', 'KMS_HOST');
  if (host) config.host = host;
  const port = integer('--kms-port', pick('kms-port', 'KMS_PORT'), 0, 65535);
  if (port !== undefined) config.port = port;
  const origins = (args['allow-origin'] as string[] | undefined) ?? env.KMS_ALLOWED_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean);
  if (origins) config.allowedOrigins = origins;
  const token = pick('token', 'KMS_TOKEN');
  if (token !== undefined) {
    if (!/^[A-Za-z0-9._~-]{16,}$/.test(token)) throw new Error('--token must be at least 16 characters of letters, digits, ".", "_", "~" or "-"');
    config.accessToken = token;
  }
  const privateSources = args['allow-private-sources'] === true ? '1' : env.KMS_ALLOW_PRIVATE_SOURCES;
  if (privateSources !== undefined && privateSources !== '') {
    if (!/^(0|1|true|false)$/.test(privateSources)) throw new Error(`KMS_ALLOW_PRIVATE_SOURCES must be 0 or 1, not "${privateSources}"`);
    config.allowPrivateSources = privateSources === '1' || privateSources === 'true';
  }
  const maxFrame = integer('--max-frame', pick('max-frame'), 1024, 64 * 1024 * 1024);
  if (maxFrame !== undefined) config.maxFrameBytes = maxFrame;
  const maxUpload = integer('--max-upload', pick('max-upload', 'KMS_MAX_UPLOAD'), 1024, 16 * 1024 * 1024 * 1024);
  if (maxUpload !== undefined) config.maxUploadBytes = maxUpload;
  const gc = integer('--gc-period', pick('gc-period'), 1, 86400);
  if (gc !== undefined) config.garbageCollectorPeriod = gc;
  const mediaDir = pick('media-dir', 'KMS_MEDIA_DIR');
  config.mediaDirectory = mediaDir ? path.resolve(root, mediaDir) : defaults.mediaDirectory;
  const stun = pick('stun-address', 'KMS_STUN_IP');
  if (stun) {
    if (!/^[0-9.]+$/.test(stun)) throw new Error(`--stun-address must be an IPv4 address (KMS does not resolve names), not "${stun}"`);
    config.stunServerAddress = stun;
  }
  const stunPort = integer('--stun-port', pick('stun-port', 'KMS_STUN_PORT'), 1, 65535);
  if (stunPort !== undefined) config.stunServerPort = stunPort;
  const turn = pick('turn-url', 'KMS_TURN_URL');
  if (turn) {
    if (!parseTurnUrl(turn)) throw new Error(`--turn-url must look like user:password@127.0.0.1:3478?transport=udp, not "${turn}"`);
    config.turnUrl = turn;
  }
  const external = pick('external-ipv4', 'KMS_EXTERNAL_IPV4');
  if (external) {
    // The Docker image of KMS also takes "auto" (it asks a public service); the embedded KMS works offline.
    if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(external)) throw new Error(`--external-ipv4 must be an IPv4 address, not "${external}"`);
    config.externalIPv4 = external;
  }
  const interfaces = pick('network-interfaces', 'KMS_NETWORK_INTERFACES');
  if (interfaces) config.networkInterfaces = interfaces;
  const iceTcp = args['ice-tcp'] === true ? '1' : env.KMS_ICE_TCP;
  if (iceTcp !== undefined && iceTcp !== '') {
    if (!/^(0|1|true|false)$/.test(iceTcp)) throw new Error(`KMS_ICE_TCP must be 0 or 1, not "${iceTcp}"`);
    config.iceTcp = iceTcp === '1' || iceTcp === 'true';
  }
  const minPort = integer('--min-port', pick('min-port', 'KMS_MIN_PORT'), 1024, 65535);
  const maxPort = integer('--max-port', pick('max-port', 'KMS_MAX_PORT'), 1024, 65535);
  if ((minPort === undefined) !== (maxPort === undefined)) throw new Error('--min-port and --max-port go together');
  if (minPort !== undefined && maxPort !== undefined) {
    if (maxPort <= minPort) throw new Error('--max-port must be greater than --min-port');
    config.minPort = minPort;
    config.maxPort = maxPort;
  }
  // One worker per core by default: pipelines spread over every core, each on one worker thread.
  config.workers = integer('--workers', pick('workers', 'KMS_WORKERS'), 0, 64) ?? availableParallelism();
  const placement = pick('placement', 'KMS_PLACEMENT');
  if (placement !== undefined && placement !== '') {
    if (!(PLACEMENTS as readonly string[]).includes(placement)) throw new Error(`--placement must be ${PLACEMENTS.join(' or ')}, not "${placement}"`);
    config.placement = placement as Placement;
  }
  const level = pick('log-level', 'KMS_LOG');
  if (level) config.logLevel = level;
  return config;
}

export function parseKmsCli(argv: string[], env: NodeJS.ProcessEnv, root: string): { config: Partial<KmsConfig>; logLevel?: string; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: { ...kmsArgOptions, host: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  // Standing alone, the KMS takes plain --host / --port as well.
  const { host, port, help, ...rest } = values;
  const { logLevel, ...config } = kmsConfigFrom({ ...rest, 'kms-host': rest['kms-host'] ?? host, 'kms-port': rest['kms-port'] ?? port }, env, root);
  // Standing alone it still lets in the pages of this machine: this site as `npm start`, `npm run dev` and labs:check
  // serve it, on whatever port.
  config.allowedOrigins ??= [...STANDALONE_ORIGINS];
  if (!rest['media-dir'] && !env.KMS_MEDIA_DIR) {
    config.mediaDirectory = STANDALONE_MEDIA_DIR;
  }
  return { config, logLevel, help: help === true };
}
