/**
 * "Is there a KMS at this URL?", answered precisely for the learner: unreachable, wrong path (KMS closes the socket
 * with 1002 "Invalid path"), not a KMS (no JSON-RPC pong), blocked as mixed content, or a KMS with its version,
 * modules and factories. Uses the browser WebSocket directly, not kurento-client, so each failure has its own cause.
 */
export interface KmsModuleInfo {
  name: string;
  version: string;
  factories: string[];
}

export interface KmsInfo {
  version: string;
  type: string;
  modules: KmsModuleInfo[];
}

export type ProbeFailure = 'mixed-content' | 'invalid-url' | 'unreachable' | 'origin-refused' | 'refused' | 'wrong-path' | 'not-a-kms' | 'timeout';

export type ProbeResult =
  | { ok: true; pingMs: number; info?: KmsInfo }
  | { ok: false; failure: ProbeFailure; detail?: string };

export interface ProbeOptions {
  /** Also ask the ServerManager for version, modules and factories (describe + getInfo). */
  info?: boolean;
  timeoutMs?: number;
  /** The page's protocol, to detect mixed content (defaults to window.location.protocol). */
  pageProtocol?: string;
}

/** The http(s) URL of a ws(s) URL: where a plain GET reaches the same server. */
export function httpUrlOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') return undefined;
    parsed.protocol = parsed.protocol === 'wss:' ? 'https:' : 'http:';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return undefined;
  }
}

/**
 * A browser never learns why a WebSocket failed to open. After such a failure, this asks the same address over plain
 * HTTP: the embedded KMS answers (readable by any page) whether this page's Origin is allowed; any other answer means
 * something listens but refused the socket; no answer at all means nothing listens.
 */
export async function whyRefused(url: string, timeoutMs = 2000): Promise<{ failure: 'origin-refused' | 'refused' | 'unreachable'; detail?: string }> {
  const http = httpUrlOf(url);
  if (!http) return { failure: 'unreachable' };
  try {
    const response = await fetch(http, { mode: 'cors', cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => undefined)) as { server?: unknown; originAllowed?: unknown; origin?: unknown } | undefined;
    if (body?.server === 'kurento-labs-embedded-kms' && body.originAllowed === false) return { failure: 'origin-refused', detail: String(body.origin ?? '') };
    return { failure: 'refused', detail: `HTTP ${response.status}` };
  } catch {
    // A CORS refusal and a network error look the same here; an opaque request tells them apart.
  }
  try {
    await fetch(http, { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
    return { failure: 'refused' };
  } catch {
    return { failure: 'unreachable' };
  }
}

export function probeKms(url: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const pageProtocol = options.pageProtocol ?? (typeof window !== 'undefined' ? window.location.protocol : 'http:');
  if (pageProtocol === 'https:' && url.startsWith('ws://')) return Promise.resolve({ ok: false, failure: 'mixed-content' });
  return new Promise<ProbeResult>((resolve) => {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      resolve({ ok: false, failure: 'invalid-url', detail: String(error) });
      return;
    }
    let opened = false;
    let settled = false;
    let pingSentAt = 0;
    let pingMs = 0;
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
      try {
        socket.close(1000);
      } catch {
        // already closed
      }
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, failure: opened ? 'not-a-kms' : 'timeout', detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
    const send = (id: string, method: string, params?: Record<string, unknown>): void => {
      socket.send(JSON.stringify(params ? { jsonrpc: '2.0', id, method, params } : { jsonrpc: '2.0', id, method }));
    };
    socket.onopen = () => {
      opened = true;
      pingSentAt = performance.now();
      send('probe-ping', 'ping', { interval: 5000 });
    };
    // The browser hides why a socket did not open: ask the address over plain HTTP (whyRefused).
    const notOpened = (detail: string): void => {
      if (settled) return;
      socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
      void whyRefused(url, Math.max(500, timeoutMs - 500)).then((why) => finish({ ok: false, failure: why.failure, detail: why.detail ?? detail }));
    };
    socket.onerror = () => {
      if (!opened) notOpened('the WebSocket did not open');
    };
    socket.onclose = (event) => {
      if (!opened) notOpened(`close code ${event.code}`);
      else if (event.code === 1002 || /invalid path/i.test(event.reason)) finish({ ok: false, failure: 'wrong-path', detail: event.reason });
      else finish({ ok: false, failure: 'not-a-kms', detail: `closed with code ${event.code} ${event.reason}` });
    };
    socket.onmessage = (event) => {
      let message: { id?: unknown; result?: { value?: unknown; sessionId?: string }; error?: unknown };
      try {
        message = JSON.parse(String(event.data)) as typeof message;
      } catch {
        finish({ ok: false, failure: 'not-a-kms', detail: 'the answer is not JSON' });
        return;
      }
      if (message.id === 'probe-ping') {
        if (message.result?.value !== 'pong') {
          finish({ ok: false, failure: 'not-a-kms', detail: 'no pong to the JSON-RPC ping' });
          return;
        }
        pingMs = Math.round(performance.now() - pingSentAt);
        if (!options.info) {
          finish({ ok: true, pingMs });
          return;
        }
        send('probe-describe', 'describe', { object: 'manager_ServerManager' });
        return;
      }
      if (message.id === 'probe-describe') {
        const sessionId = message.result?.sessionId;
        send('probe-info', 'invoke', { object: 'manager_ServerManager', operation: 'getInfo', ...(sessionId ? { sessionId } : {}) });
        return;
      }
      if (message.id === 'probe-info') {
        const value = message.result?.value as { version?: string; type?: string; modules?: Array<Partial<KmsModuleInfo>> } | undefined;
        if (!value) {
          finish({ ok: true, pingMs });
          return;
        }
        finish({
          ok: true,
          pingMs,
          info: {
            version: String(value.version ?? '?'),
            type: String(value.type ?? '?'),
            modules: (value.modules ?? []).map((module) => ({
              name: String(module.name ?? '?'),
              version: String(module.version ?? '?'),
              factories: Array.isArray(module.factories) ? module.factories.map(String) : [],
            })),
          },
        });
      }
    };
  });
}
