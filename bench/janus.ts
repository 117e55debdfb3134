/**
 * Janus Gateway (Debian's `janus`, 1.1.2) as the reference server of `npm run bench -- peers`: started by the bench
 * in the foreground with a minimal configuration generated in a temporary folder (the echotest plugin, the plain
 * HTTP transport on loopback, no logger or event handler, no STUN), and a small client of its HTTP API.
 *
 * Janus skips every interface flagged IFF_LOOPBACK before it reads `ice_enforce_list`, so no setting gives it a
 * 127.0.0.1 candidate (see /work/shared/reference/janus-notes.md). The bench builds, with the system's C compiler, a
 * preload library that clears that flag on `lo` in what getifaddrs() returns; with `ice_enforce_list = "lo"` Janus
 * then offers 127.0.0.1 only, as the embedded KMS does. The Janus binary is not changed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const JANUS_BINARY = '/usr/bin/janus';
const LIBRARY = '/usr/lib/x86_64-linux-gnu/janus';

/** Clears IFF_LOOPBACK on `lo` in getifaddrs()'s answer (our own dozen lines, compiled at bench time). */
const LOOPBACK_SHIM = `#define _GNU_SOURCE
#include <dlfcn.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>

int getifaddrs(struct ifaddrs **list) {
  static int (*original)(struct ifaddrs **) = 0;
  if (!original) original = (int (*)(struct ifaddrs **))dlsym(RTLD_NEXT, "getifaddrs");
  int result = original(list);
  if (result == 0)
    for (struct ifaddrs *entry = *list; entry; entry = entry->ifa_next)
      if (entry->ifa_name && strcmp(entry->ifa_name, "lo") == 0) entry->ifa_flags &= ~IFF_LOOPBACK;
  return result;
}
`;

export function janusInstalled(): boolean {
  return existsSync(JANUS_BINARY) && existsSync(path.join(LIBRARY, 'plugins', 'libjanus_echotest.so')) && existsSync(path.join(LIBRARY, 'transports', 'libjanus_http.so'));
}

export interface JanusProcess {
  child: ChildProcess;
  pid: number;
  /** The HTTP API's base URL, e.g. http://127.0.0.1:8921/janus */
  url: string;
  dir: string;
}

const others = (folder: string, keep: string): string => {
  const names: Record<string, string[]> = {
    plugins: ['audiobridge', 'duktape', 'lua', 'nosip', 'recordplay', 'sip', 'streaming', 'textroom', 'videocall', 'videoroom', 'voicemail'],
    transports: ['mqtt', 'nanomsg', 'pfunix', 'rabbitmq', 'websockets'],
    events: ['gelfevh', 'mqttevh', 'nanomsgevh', 'rabbitmqevh', 'sampleevh', 'wsevh'],
  };
  return (names[folder] ?? []).filter((name) => name !== keep).map((name) => `libjanus_${name}.so`).join(',');
};

/** The configuration files of a loopback-only Janus with the echotest plugin and the HTTP transport on `httpPort`. */
export function janusConfiguration(dir: string, httpPort: number, rtpPorts: string): Record<string, string> {
  return {
    'janus.jcfg': `general: {
  configs_folder = "${dir}"
  plugins_folder = "${LIBRARY}/plugins"
  transports_folder = "${LIBRARY}/transports"
  events_folder = "${LIBRARY}/events"
  loggers_folder = "${LIBRARY}/loggers"
  debug_level = 3
  interface = "127.0.0.1"
  session_timeout = 60
}
certificates: {
}
media: {
  ipv6 = false
  rtp_port_range = "${rtpPorts}"
}
nat: {
  nice_debug = false
  ignore_mdns = true
  ice_enforce_list = "lo"
}
plugins: {
  disable = "${others('plugins', 'echotest')}"
}
transports: {
  disable = "${others('transports', 'http')}"
}
loggers: {
  disable = "libjanus_jsonlog.so"
}
events: {
  broadcast = false
  disable = "${others('events', '')}"
}
`,
    'janus.transport.http.jcfg': `general: {
  json = "plain"
  base_path = "/janus"
  http = true
  port = ${httpPort}
  ip = "127.0.0.1"
  https = false
}
admin: {
  admin_http = false
  admin_https = false
}
cors: {
}
`,
    'janus.plugin.echotest.jcfg': 'general: {\n}\n',
  };
}

/** Starts Janus with the generated configuration and resolves once its HTTP API answers. */
export async function startJanus(httpPort: number, rtpPorts: string): Promise<JanusProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'janus-bench-'));
  for (const [name, text] of Object.entries(janusConfiguration(dir, httpPort, rtpPorts))) writeFileSync(path.join(dir, name), text);
  writeFileSync(path.join(dir, 'loopback.c'), LOOPBACK_SHIM);
  const shim = path.join(dir, 'loopback.so');
  const built = spawnSync('cc', ['-shared', '-fPIC', '-O2', '-o', shim, path.join(dir, 'loopback.c'), '-ldl'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`could not build the loopback preload library (apt-get install gcc): ${built.stderr || built.error?.message}`);
  const child = spawn(JANUS_BINARY, ['-F', dir, '-C', path.join(dir, 'janus.jcfg'), '-o', '-d', '3'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LD_PRELOAD: shim },
  });
  // Whatever ends the bench process (an error, a timeout's process.exit), Janus does not outlive it.
  const killJanus = (): void => void child.kill('SIGKILL');
  process.once('exit', killJanus);
  child.once('exit', () => process.removeListener('exit', killJanus));
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${httpPort}/janus`;
  const janus: JanusProcess = { child, pid: child.pid ?? 0, url, dir };
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`janus exited (${child.exitCode}):\n${log}`);
    try {
      const answer = (await (await fetch(`${url}/info`, { signal: AbortSignal.timeout(2000) })).json()) as { janus?: string };
      if (answer.janus === 'server_info') return janus;
    } catch {
      // Not listening yet.
    }
    if (Date.now() - started > 15000) {
      await stopJanus(janus);
      throw new Error(`janus did not answer on ${url} within 15 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function stopJanus(janus: JanusProcess): Promise<void> {
  if (janus.child.exitCode === null && janus.child.signalCode === null) {
    const exited = once(janus.child, 'exit');
    janus.child.kill('SIGTERM');
    const timer = setTimeout(() => janus.child.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(janus.dir, { recursive: true, force: true });
}

interface JanusMessage {
  janus: string;
  transaction?: string;
  data?: { id?: number };
  error?: { code: number; reason: string };
  jsep?: { type: string; sdp: string };
  sender?: number;
}

let transactions = 0;
const transaction = (): string => `bench-${(transactions += 1)}`;

async function post(url: string, body: Record<string, unknown>): Promise<JanusMessage> {
  // A request Janus leaves unanswered fails the bench instead of hanging it.
  const answer = (await (await fetch(url, { method: 'POST', body: JSON.stringify({ ...body, transaction: transaction() }), signal: AbortSignal.timeout(10000) })).json()) as JanusMessage;
  if (answer.janus === 'error') throw new Error(`janus: ${answer.error?.reason ?? 'error'}`);
  return answer;
}

/** One Janus session with one echotest handle, driven over the HTTP API (long poll for events). */
export class EchoTestSession {
  private polling = true;
  private readonly stopPolling = new AbortController();
  private readonly jseps: Array<{ type: string; sdp: string }> = [];
  private poller: Promise<void> | undefined;

  private constructor(
    private readonly base: string,
    private readonly session: number,
    private readonly handle: number,
  ) {}

  static async open(janus: JanusProcess): Promise<EchoTestSession> {
    const created = await post(janus.url, { janus: 'create' });
    const session = created.data?.id;
    if (session === undefined) throw new Error('janus: no session id');
    const attached = await post(`${janus.url}/${session}`, { janus: 'attach', plugin: 'janus.plugin.echotest' });
    const handle = attached.data?.id;
    if (handle === undefined) throw new Error('janus: no handle id');
    const echo = new EchoTestSession(janus.url, session, handle);
    echo.poller = echo.poll();
    return echo;
  }

  /** The long poll: also what keeps the session alive. */
  private async poll(): Promise<void> {
    while (this.polling) {
      try {
        // Janus answers a long poll within 30 s (with a keepalive when it has nothing).
        const signal = AbortSignal.any([this.stopPolling.signal, AbortSignal.timeout(40000)]);
        const events = (await (await fetch(`${this.base}/${this.session}?maxev=10`, { signal })).json()) as JanusMessage | JanusMessage[];
        for (const event of Array.isArray(events) ? events : [events]) if (event.jsep) this.jseps.push(event.jsep);
      } catch {
        if (this.polling) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** Sends the offer to the echotest plugin (audio and video on) and resolves with Janus's answer. */
  async offer(sdp: string): Promise<string> {
    const answer = await post(`${this.base}/${this.session}/${this.handle}`, { janus: 'message', body: { audio: true, video: true }, jsep: { type: 'offer', sdp } });
    if (answer.jsep) return answer.jsep.sdp;
    const started = Date.now();
    while (this.jseps.length === 0) {
      if (Date.now() - started > 10000) throw new Error('janus: no answer within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return (this.jseps.shift() as { sdp: string }).sdp;
  }

  async trickle(candidate: { candidate: string; sdpMid?: string; sdpMLineIndex?: number } | { completed: true }): Promise<void> {
    await post(`${this.base}/${this.session}/${this.handle}`, { janus: 'trickle', candidate });
  }

  async close(): Promise<void> {
    this.polling = false;
    // The pending long poll would otherwise wait for Janus's next event, up to 30 s.
    this.stopPolling.abort();
    await post(`${this.base}/${this.session}`, { janus: 'destroy' }).catch(() => undefined);
    await this.poller;
  }
}
