/**
 * coturn in the loop: `npm start` runs a real TURN server (Debian's `turnserver`, coturn 4.6) next to the embedded
 * KMS, so that the labs can show relay candidates and media relayed through it. The service never makes `npm start`
 * fail: when coturn is not installed, or does not come up, it records why (`status()`), the labs explain it, and
 * everything else runs as before.
 *
 * What it owns: var/turn/turnserver.conf (written on every start), var/turn/secret.json (the shared secret of coturn's
 * TURN REST mechanism, made once and kept, so credentials minted before a restart stay valid), var/turn/turnserver.log,
 * var/turn/turnserver.pid, and the `turnserver` child process, which it restarts (with back-off) when it exits.
 *
 * What the relay may reach: only the addresses the labs need, the KMS's media addresses (and the relay's own, for
 * relay-to-relay pairs). coturn's peer rules deny every other IPv4 and IPv6 peer, loopback and private ranges included,
 * and TCP relays (RFC 6062) are refused: no lab needs them. Credentials are not a password in a public file: every
 * read of /labs-runtime.json mints a username `<expiry>:kurento-labs` and its HMAC-SHA1 password (coturn's
 * use-auth-secret), valid for a few hours.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, isIP } from 'node:net';
import path from 'node:path';
import { parseTurnUrl } from '../kms/config';
import type { Service, ServiceHealth, ServiceUrl } from '../service';

/** A TURN server in both forms the labs need: the browser's RTCIceServer and KMS' turnURL. */
export interface TurnForLabs {
  /** Browser form, e.g. `turn:127.0.0.1:3478?transport=udp`. */
  urls: string;
  username: string;
  credential: string;
  /** KMS form (WebRtcEndpoint.conf.ini turnURL): `user:password@127.0.0.1:3478?transport=udp`. */
  kmsTurnUrl: string;
  transport: 'udp' | 'tcp' | 'tls';
  /** When the credential stops working (ms since the epoch), for time-limited credentials. */
  expiresAt?: number;
}

export interface CoturnStatus {
  available: boolean;
  /** Why coturn is not available, in plain words with the fix. */
  reason?: string;
}

export interface CoturnOptions {
  /** Listening and relay address (default 127.0.0.1). An IPv4 address: KMS' turnURL takes no names. */
  host?: string;
  /** Listening port (default 3478); when it is taken, the next free one is used. */
  port?: number;
  /** Relay port range (default 49160-49199). */
  minPort?: number;
  maxPort?: number;
  /** Where the configuration, credentials, log and pid file live (default var/turn under the repository root). */
  stateDir?: string;
  /** The name in minted usernames (`<expiry>:<user>`, default `kurento-labs`). */
  user?: string;
  /**
   * The peers the relay may send to: the KMS's media addresses (IPv4). The relay's own address is always added (a
   * relay candidate of the browser may pair with a relay candidate of KMS). Default: `host` only.
   */
  peers?: () => readonly string[];
  /** How long a minted credential works, in seconds (default 4 hours). */
  credentialTtlSeconds?: number;
  /** Waits before each restart after coturn exited on its own, in ms (default 1, 2, 5, 10, then 30 s). */
  restartDelaysMs?: readonly number[];
  /** The realm (default `kurento-labs`). */
  realm?: string;
  /** PATH to look for `turnserver` in (default process.env.PATH); tests set it to check the "not installed" path. */
  searchPath?: string;
  /** How long coturn may take to answer STUN after it is spawned (default 8000 ms). */
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export const COTURN_NOT_INSTALLED = 'coturn is not installed: sudo apt-get install coturn';
const DEFAULT_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_CREDENTIAL_TTL_SECONDS = 4 * 3600;
const DEFAULT_RESTART_DELAYS_MS = [1000, 2000, 5000, 10000, 30000];
/** A coturn that ran this long before it exited starts its back-off from the first delay again. */
const STABLE_RUN_MS = 60000;
const PORT_ATTEMPTS = 20;
const STOP_TIMEOUT_MS = 3000;

/** Finds an executable on a PATH string without a shell (what `command -v` would print), or undefined. */
export function findExecutable(name: string, searchPath: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there, or not executable: next directory
    }
  }
  return undefined;
}

/** Both forms of a TURN server from its parts. */
export function turnForLabs(parts: { user: string; password: string; address: string; port: number; transport: TurnForLabs['transport'] }): TurnForLabs {
  const { user, password, address, port, transport } = parts;
  // Browsers write TURN over TLS as turns:…?transport=tcp; KMS writes it ?transport=tls.
  const urls = transport === 'tls' ? `turns:${address}:${port}?transport=tcp` : `turn:${address}:${port}?transport=${transport}`;
  return { urls, username: user, credential: password, kmsTurnUrl: `${user}:${password}@${address}:${port}?transport=${transport}`, transport };
}

/**
 * TURN_URL, in KMS' turnURL format (`user:password@ip:port?transport=udp|tcp`): points the labs and the embedded KMS at
 * another TURN server, and coturn is then not started. Undefined when the value is empty or not in that format.
 */
export function parseTurnEnv(value: string | undefined): TurnForLabs | undefined {
  const text = value?.trim() ?? '';
  if (text === '') return undefined;
  const parsed = parseTurnUrl(text);
  if (!parsed || !/^\d{1,3}(\.\d{1,3}){3}$/.test(parsed.address) || parsed.port < 1 || parsed.port > 65535) return undefined;
  return turnForLabs({ user: parsed.user, password: parsed.password, address: parsed.address, port: parsed.port, transport: parsed.transport });
}

// STUN (RFC 5389) ---------------------------------------------------------------------------------------------------

export const STUN_MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const XOR_MAPPED_ADDRESS = 0x0020;

/** A Binding request: 20-byte header (type, length 0, magic cookie, 96-bit transaction id), no attributes. */
export function stunBindingRequest(transactionId: Buffer = randomBytes(12)): Buffer {
  const message = Buffer.alloc(20);
  message.writeUInt16BE(BINDING_REQUEST, 0);
  message.writeUInt16BE(0, 2);
  message.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  transactionId.copy(message, 8, 0, 12);
  return message;
}

/**
 * Reads a Binding success response to the request with `transactionId`: the XOR-MAPPED-ADDRESS (what the server saw
 * as our address), or undefined when the message is not that response.
 */
export function parseStunBindingResponse(message: Buffer, transactionId: Buffer): { address: string; port: number } | undefined {
  if (message.length < 20 || message.readUInt16BE(0) !== BINDING_SUCCESS || message.readUInt32BE(4) !== STUN_MAGIC_COOKIE) return undefined;
  if (!message.subarray(8, 20).equals(transactionId.subarray(0, 12))) return undefined;
  const end = Math.min(message.length, 20 + message.readUInt16BE(2));
  for (let offset = 20; offset + 4 <= end; ) {
    const type = message.readUInt16BE(offset);
    const length = message.readUInt16BE(offset + 2);
    const value = message.subarray(offset + 4, offset + 4 + length);
    if (type === XOR_MAPPED_ADDRESS && value.length >= 8 && value[1] === 0x01) {
      const port = value.readUInt16BE(2) ^ (STUN_MAGIC_COOKIE >>> 16);
      const raw = value.readUInt32BE(4) ^ STUN_MAGIC_COOKIE;
      return { address: [raw >>> 24, (raw >>> 16) & 0xff, (raw >>> 8) & 0xff, raw & 0xff].join('.'), port };
    }
    offset += 4 + length + ((4 - (length % 4)) % 4);
  }
  return { address: '', port: 0 };
}

/** Sends a STUN Binding request over UDP and resolves with the mapped address, or rejects after `timeoutMs`. */
export function stunBinding(host: string, port: number, timeoutMs = 1000): Promise<{ address: string; port: number }> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const transactionId = randomBytes(12);
    const finish = (error: Error | undefined, result?: { address: string; port: number }): void => {
      clearTimeout(timer);
      socket.close();
      if (error || !result) reject(error ?? new Error('no STUN answer'));
      else resolve(result);
    };
    const timer = setTimeout(() => finish(new Error(`no STUN answer from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    socket.on('error', (error) => finish(error));
    socket.on('message', (message) => {
      const mapped = parseStunBindingResponse(message, transactionId);
      if (mapped) finish(undefined, mapped);
    });
    socket.send(stunBindingRequest(transactionId), port, host, (error) => {
      if (error) finish(error);
    });
  });
}

// Ports ---------------------------------------------------------------------------------------------------------------

function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

function tcpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** The first port from `start` that is free for both UDP and TCP on `host` (coturn listens on both). */
export async function findFreeTurnPort(host: string, start: number, attempts = PORT_ATTEMPTS): Promise<number | undefined> {
  for (let port = start; port < start + attempts && port <= 65535; port += 1) {
    if ((await udpFree(host, port)) && (await tcpFree(host, port))) return port;
  }
  return undefined;
}

// Configuration -------------------------------------------------------------------------------------------------------

export interface CoturnConfigInput {
  host: string;
  port: number;
  minPort: number;
  maxPort: number;
  realm: string;
  /** The shared secret of coturn's TURN REST mechanism (use-auth-secret). */
  secret: string;
  stateDir: string;
  /** The only peers the relay may send to (IPv4 addresses): the KMS's media addresses and the relay's own. */
  peers: readonly string[];
}

export function isLoopbackIPv4(address: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/** The peers of a configuration: IPv4 literals only, the relay address included, each once. */
export function relayPeers(host: string, peers: readonly string[]): string[] {
  return [...new Set([...peers, host])].filter((address) => isIP(address) === 4);
}

/** The turnserver.conf the service runs coturn with. */
export function coturnConfigText(input: CoturnConfigInput): string {
  const peers = relayPeers(input.host, input.peers);
  const loopback = peers.some(isLoopbackIPv4);
  return [
    '# Written by Kurento Labs (server/turn/coturn.ts) on every start; edits are overwritten.',
    `listening-ip=${input.host}`,
    `relay-ip=${input.host}`,
    `listening-port=${input.port}`,
    `min-port=${input.minPort}`,
    `max-port=${input.maxPort}`,
    'fingerprint',
    '# Time-limited credentials (TURN REST): the username is <expiry>:<name>, the password HMAC-SHA1(secret, username)',
    '# in base64. The site mints them for each page; nothing permanent is published.',
    'use-auth-secret',
    `static-auth-secret=${input.secret}`,
    `realm=${input.realm}`,
    '# The relay may reach the KMS, and nothing else: every IPv4 and IPv6 peer is denied, then the KMS media addresses',
    '# (and the relay address itself, for relay-to-relay pairs) are allowed. allowed-peer-ip wins over denied-peer-ip.',
    'denied-peer-ip=0.0.0.0-255.255.255.255',
    'denied-peer-ip=::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ...peers.map((peer) => `allowed-peer-ip=${peer}`),
    ...(loopback
      ? [
          '# The KMS media address is on loopback (browser, KMS and coturn on one machine). coturn refuses loopback peers',
          '# unless told otherwise; the rules above still limit the relay to that one address. A production coturn must',
          "# NOT use allow-loopback-peers without such rules: any TURN user could reach the TURN server's loopback services.",
          'allow-loopback-peers',
        ]
      : []),
    '# No lab relays over TCP to a peer (RFC 6062); browsers reach coturn itself over UDP or TCP either way.',
    'no-tcp-relay',
    '# The embedded KMS (werift) closes its UDP allocations without a Refresh of lifetime 0, so coturn would keep each one',
    '# for the 600 s the client asked for, and the few relay ports above would run out: allocations live 60 s at most',
    '# (clients refresh them every 50 s while they are in use).',
    'max-allocate-lifetime=60',
    'no-multicast-peers',
    'no-cli',
    'no-tls',
    'no-dtls',
    // Its own user database, instead of the system one in /var/lib/turn (which may not be writable).
    `userdb=${path.join(input.stateDir, 'turndb')}`,
    `pidfile=${path.join(input.stateDir, 'turnserver.pid')}`,
    `log-file=${path.join(input.stateDir, 'turnserver.log')}`,
    'simple-log',
    'verbose',
    '',
  ].join('\n');
}

/**
 * A TURN REST credential (draft-uberti-behave-turn-rest, as coturn's use-auth-secret checks it): the username carries
 * its expiry in seconds since the epoch, the password is the base64 HMAC-SHA1 of the username under the shared secret.
 */
export function restCredential(secret: string, user: string, ttlSeconds: number, nowMs = Date.now()): { username: string; credential: string; expiresAt: number } {
  const expiry = Math.floor(nowMs / 1000) + Math.max(1, Math.floor(ttlSeconds));
  const username = `${expiry}:${user}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64'), expiresAt: expiry * 1000 };
}

async function loadSecret(file: string): Promise<string> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { secret?: unknown };
    if (typeof parsed.secret === 'string' && /^[A-Za-z0-9_-]{32,}$/.test(parsed.secret)) return parsed.secret;
  } catch {
    // first start, or an unreadable file: make a new secret
  }
  // base64url: letters, digits, '-' and '_' only, nothing coturn's configuration parser would read differently.
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${JSON.stringify({ secret }, null, 2)}\n`, { mode: 0o600 });
  return secret;
}

// The service ---------------------------------------------------------------------------------------------------------

export class CoturnService implements Service {
  readonly name = 'coturn';
  readonly host: string;
  private readonly preferredPort: number;
  private readonly minPort: number;
  private readonly maxPort: number;
  readonly stateDir: string;
  private readonly user: string;
  private readonly realm: string;
  private readonly searchPath: string | undefined;
  private readonly startTimeoutMs: number;
  private readonly peers: () => readonly string[];
  private readonly ttlSeconds: number;
  private readonly restartDelays: readonly number[];
  private readonly log: (line: string) => void;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private state: CoturnStatus = { available: false, reason: 'coturn has not been started' };
  private secret: string | undefined;
  private binary: string | undefined;
  private listeningPort: number | undefined;
  private stopping = false;
  /** start() already ran (whatever came of it): calling it again before stop() changes nothing. */
  private attempted = false;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Restarts since coturn last ran for STABLE_RUN_MS: picks the next back-off delay. */
  private restartAttempt = 0;
  private runningSince = 0;
  /** How many times the service restarted coturn after it exited (for the log and the tests). */
  restarts = 0;

  constructor(options: CoturnOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.preferredPort = options.port ?? 3478;
    this.minPort = options.minPort ?? 49160;
    this.maxPort = options.maxPort ?? 49199;
    this.stateDir = options.stateDir ?? path.join(DEFAULT_ROOT, 'var', 'turn');
    this.user = options.user ?? 'kurento-labs';
    this.realm = options.realm ?? 'kurento-labs';
    this.searchPath = options.searchPath;
    this.startTimeoutMs = options.startTimeoutMs ?? 8000;
    this.peers = options.peers ?? (() => [this.host]);
    this.ttlSeconds = options.credentialTtlSeconds ?? DEFAULT_CREDENTIAL_TTL_SECONDS;
    this.restartDelays = options.restartDelaysMs?.length ? options.restartDelaysMs : DEFAULT_RESTART_DELAYS_MS;
    this.log = options.log ?? ((line) => console.log(`[coturn] ${line}`));
  }

  get configFile(): string {
    return path.join(this.stateDir, 'turnserver.conf');
  }

  get logFile(): string {
    return path.join(this.stateDir, 'turnserver.log');
  }

  /** The port coturn listens on (after start). */
  get port(): number | undefined {
    return this.listeningPort;
  }

  /** The pid of the running turnserver, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The live state: what the site reports about TURN at the moment it is asked. */
  status(): CoturnStatus {
    return { ...this.state };
  }

  /**
   * The TURN server for the labs and the embedded KMS (UDP), with a freshly minted credential that works for
   * `credentialTtlSeconds`; null when coturn is not running right now.
   */
  forLabs(nowMs = Date.now()): TurnForLabs | null {
    if (!this.state.available || this.secret === undefined || this.listeningPort === undefined) return null;
    const { username, credential, expiresAt } = restCredential(this.secret, this.user, this.ttlSeconds, nowMs);
    return { ...turnForLabs({ user: username, password: credential, address: this.host, port: this.listeningPort, transport: 'udp' }), expiresAt };
  }

  private unavailable(reason: string): void {
    this.state = { available: false, reason };
    this.log(`TURN is off: ${reason}`);
  }

  /**
   * Never rejects: a missing or failing coturn is recorded in status() and the rest of `npm start` goes on. Calling it
   * again before stop() does nothing (so it can be started early, then handed to startAll with the other services).
   */
  async start(): Promise<void> {
    if (this.attempted) return;
    this.attempted = true;
    this.stopping = false;
    this.restartAttempt = 0;
    const binary = findExecutable('turnserver', this.searchPath ?? process.env.PATH);
    if (!binary) {
      this.unavailable(COTURN_NOT_INSTALLED);
      return;
    }
    this.binary = binary;
    try {
      await mkdir(this.stateDir, { recursive: true });
      await this.stopLeftover();
      this.secret = await loadSecret(path.join(this.stateDir, 'secret.json'));
      await this.launch(binary);
    } catch (error) {
      await this.killChild();
      this.unavailable(`coturn did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Picks the port (the one it had, after a restart), writes the configuration, spawns coturn and waits for STUN. */
  private async launch(binary: string): Promise<void> {
    const port = await findFreeTurnPort(this.host, this.listeningPort ?? this.preferredPort);
    if (port === undefined) throw new Error(`no free port on ${this.host} from ${this.preferredPort} to ${this.preferredPort + PORT_ATTEMPTS - 1}`);
    if (port !== (this.listeningPort ?? this.preferredPort)) this.log(`port ${this.listeningPort ?? this.preferredPort} is taken on ${this.host}; coturn uses ${port}`);
    this.listeningPort = port;
    const peers = relayPeers(this.host, this.peers());
    await writeFile(
      this.configFile,
      coturnConfigText({ host: this.host, port, minPort: this.minPort, maxPort: this.maxPort, realm: this.realm, stateDir: this.stateDir, secret: this.secret ?? '', peers }),
      { mode: 0o600 },
    );
    await this.spawnAndWait(binary, port, peers);
  }

  /**
   * A previous `npm start` that was killed (SIGKILL, a closed terminal) leaves its turnserver running, holding the port.
   * Stop it, but only when the pid file names a process that is a turnserver running this very configuration file.
   */
  private async stopLeftover(): Promise<void> {
    const pid = Number((await readFile(path.join(this.stateDir, 'turnserver.pid'), 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 1) return;
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!cmdline.some((arg) => path.basename(arg) === 'turnserver') || !cmdline.includes(this.configFile)) return;
    this.log(`stopping the turnserver a previous run left behind (pid ${pid})`);
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const state = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      if (state === '') return; // gone
      // A zombie waiting for its parent no longer holds the port, once its last thread is gone too: turnserver is
      // multi-threaded, and a leader that exited first shows Z while its worker threads still hold the sockets.
      if (/ Z /.test(state) && (await readdir(`/proc/${pid}/task`).catch(() => [])).length <= 1) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async spawnAndWait(binary: string, port: number, peers: readonly string[]): Promise<void> {
    // A fresh log for each run: what it shows is about this coturn only.
    await writeFile(this.logFile, '');
    const child = spawn(binary, ['-c', this.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let failure: Error | undefined;
    child.once('error', (error) => {
      failure = error;
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (!this.stopping && this.state.available) {
        this.unavailable(`coturn exited (${signal ?? `code ${code}`}); see ${this.logFile}`);
        this.scheduleRestart();
      }
    });
    const deadline = Date.now() + this.startTimeoutMs;
    for (;;) {
      if (failure) throw failure;
      if (child.exitCode !== null || child.signalCode !== null) {
        const logged = (await readFile(this.logFile, 'utf8').catch(() => '')).trim();
        const last = (logged || output.trim()).split('\n').slice(-3).join(' | ');
        throw new Error(`turnserver exited with ${child.signalCode ?? `code ${child.exitCode}`}${last ? `: ${last}` : ''}`);
      }
      try {
        await stunBinding(this.host, port, 300);
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`turnserver did not answer STUN on ${this.host}:${port} within ${this.startTimeoutMs} ms (see ${this.logFile})`);
        // Not unref'd: start() awaits it, and it must keep the process alive while it waits (100 ms at most).
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    this.state = { available: true };
    this.runningSince = Date.now();
    this.log(`coturn ${binary} answers on ${this.host}:${port} (udp and tcp), relay ports ${this.minPort}-${this.maxPort}, relaying only to ${peers.join(', ')}`);
  }

  /** coturn exited on its own: start it again after the next back-off delay (reset once it ran long enough). */
  private scheduleRestart(): void {
    if (this.stopping || this.restartTimer || !this.binary) return;
    if (this.runningSince > 0 && Date.now() - this.runningSince >= STABLE_RUN_MS) this.restartAttempt = 0;
    const delay = this.restartDelays[Math.min(this.restartAttempt, this.restartDelays.length - 1)] ?? 1000;
    this.restartAttempt += 1;
    this.log(`restarting coturn in ${delay} ms (attempt ${this.restartAttempt})`);
    const binary = this.binary;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      void this.launch(binary).then(
        () => {
          this.restarts += 1;
        },
        async (error: unknown) => {
          await this.killChild();
          if (this.stopping) return;
          this.unavailable(`coturn did not restart: ${error instanceof Error ? error.message : String(error)}`);
          this.runningSince = 0;
          this.scheduleRestart();
        },
      );
    }, delay);
    this.restartTimer.unref();
  }

  private async killChild(): Promise<void> {
    const child = this.child;
    const exited = this.exited;
    this.child = undefined;
    this.exited = undefined;
    if (!child || !exited || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
        timer.unref();
      }),
    ]);
    if (timer) clearTimeout(timer);
    if (timedOut) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.attempted = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    await this.killChild();
    if (this.state.available) this.state = { available: false, reason: 'coturn was stopped' };
  }

  async health(): Promise<ServiceHealth> {
    if (!this.state.available || this.listeningPort === undefined) return { ok: false, detail: this.state.reason ?? 'coturn is not running' };
    try {
      const mapped = await stunBinding(this.host, this.listeningPort, 1000);
      return { ok: true, detail: `coturn answers STUN on ${this.host}:${this.listeningPort} (saw us as ${mapped.address}:${mapped.port})` };
    } catch (error) {
      return { ok: false, detail: `coturn does not answer STUN: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  urls(): ServiceUrl[] {
    if (!this.state.available || this.listeningPort === undefined) return [];
    return [{ label: 'TURN (coturn)', url: `turn:${this.host}:${this.listeningPort} (udp, tcp; time-limited credentials per page)` }];
  }
}
