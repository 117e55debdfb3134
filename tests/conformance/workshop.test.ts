/**
 * A KMS reachable from the network (a LAN workshop, a KMS of a pool), tried as a stranger on the LAN would: who is let
 * in (Origin, access token), what a page from another machine may see and drive (its own objects only), the
 * duplicate-request cache (per connection), players with http(s) sources on private addresses, and where media
 * sockets listen. Clients bind to this machine's LAN address, so the KMS sees them as another machine.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createSocket } from 'node:dgram';
import path from 'node:path';
import WebSocket from 'ws';
import type { KmsServer } from '../../server/kms/server';
import { RawClient, startKms, type RpcMessage } from '../helpers/kms';
import { NEEDS_LAN, lanAddress } from '../helpers/network';

const SITE_ORIGIN = 'https://192.0.2.77:3000';
const SAMPLE = path.resolve(__dirname, '..', '..', 'static', 'media', 'kurento-labs-sample.webm');

/** The HTTP status a refused WebSocket upgrade got (or 101 when it opened). */
async function upgradeStatus(url: string, options: WebSocket.ClientOptions): Promise<number> {
  const socket = new WebSocket(url, options);
  return new Promise<number>((resolve, reject) => {
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

/** Waits for the events of `client` until one matches, or `ms` pass; returns the matching ones. */
async function eventsAfter(client: RawClient, ms: number): Promise<RpcMessage[]> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return [...client.events];
}

describe('a KMS reachable from the network', { skip: NEEDS_LAN }, () => {
  let kms: KmsServer;
  let lan: string;
  let lanUrl: string;
  let token: string;

  before(async () => {
    lan = lanAddress() ?? '';
    kms = await startKms({ host: '0.0.0.0', allowedOrigins: [SITE_ORIGIN] });
    lanUrl = `ws://${lan}:${kms.port}/kurento`;
    token = kms.config.accessToken ?? '';
  });
  after(async () => {
    await kms.stop();
  });

  const fromLan = (extra: WebSocket.ClientOptions = {}): WebSocket.ClientOptions => ({ localAddress: lan, ...extra });

  test('it makes an access token; other machines need it or an allowed Origin', async () => {
    assert.equal(kms.config.reach, 'network');
    assert.match(token, /^[A-Za-z0-9_-]{24}$/);
    assert.equal(await upgradeStatus(lanUrl, fromLan()), 401, 'no Origin, no token: refused');
    assert.equal(await upgradeStatus(`${lanUrl}?token=not-the-token-at-all`, fromLan()), 401, 'a wrong token: refused');
    assert.equal(await upgradeStatus(lanUrl, fromLan({ headers: { Origin: 'http://evil.example' } })), 403, 'a foreign Origin: refused');
    assert.equal(await upgradeStatus(`${lanUrl}?token=${token}`, fromLan()), 101, 'the token in the URL');
    assert.equal(await upgradeStatus(lanUrl, fromLan({ headers: { Authorization: `Bearer ${token}` } })), 101, 'the token as a Bearer header');
    assert.equal(await upgradeStatus(lanUrl, fromLan({ headers: { Origin: SITE_ORIGIN } })), 101, "the site's own pages");
    assert.equal(await upgradeStatus(`ws://127.0.0.1:${kms.port}/kurento`, {}), 101, 'Node clients of this machine (application servers)');
  });

  test("a page from another machine sees and drives only its own objects; other sessions' ids never reach it", async () => {
    const trainer = await RawClient.connect(`${lanUrl}?token=${token}`, fromLan());
    const attendee = await RawClient.connect(lanUrl, fromLan({ headers: { Origin: SITE_ORIGIN } }));
    const other = await RawClient.connect(lanUrl, fromLan({ headers: { Origin: SITE_ORIGIN } }));
    try {
      await attendee.result('subscribe', { object: 'manager_ServerManager', type: 'ObjectCreated' });
      const theirs = String((await trainer.result('create', { type: 'MediaPipeline' })).value);
      const neighbours = String((await other.result('create', { type: 'MediaPipeline' })).value);
      const mine = String((await attendee.result('create', { type: 'MediaPipeline' })).value);
      const trainerSession = String((await trainer.result('invoke', { object: 'manager_ServerManager', operation: 'getSessions' })).sessionId);

      const sessions = (await attendee.result('invoke', { object: 'manager_ServerManager', operation: 'getSessions' })) as { value: string[]; sessionId: string };
      assert.deepEqual(sessions.value, [sessions.sessionId], 'getSessions names its own session only');
      assert.deepEqual((await attendee.result('invoke', { object: 'manager_ServerManager', operation: 'getPipelines' })).value, [mine]);
      const all = (await trainer.result('invoke', { object: 'manager_ServerManager', operation: 'getPipelines' })).value as string[];
      assert.ok([theirs, neighbours, mine].every((id) => all.includes(id)), 'the token holder sees every pipeline');
      const allSessions = (await trainer.result('invoke', { object: 'manager_ServerManager', operation: 'getSessions' })).value as string[];
      assert.ok(allSessions.includes(sessions.sessionId) && allSessions.includes(trainerSession));

      for (const [method, params] of [
        ['describe', { object: neighbours }],
        ['invoke', { object: neighbours, operation: 'getChildren' }],
        ['subscribe', { object: neighbours, type: 'Error' }],
        ['create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: theirs } }],
        ['ref', { object: theirs }],
      ] as const) {
        const reply = await attendee.call(method, params);
        assert.equal(reply.error?.code, 40101, `${method} of another session's object answers "not found"`);
      }
      const endpoint = String((await attendee.result('create', { type: 'PassThrough', constructorParams: { mediaPipeline: mine } })).value);
      const cross = await attendee.call('invoke', { object: endpoint, operation: 'connect', operationParams: { sink: neighbours } });
      assert.equal(cross.error?.code, 40101, 'no object of another session as a parameter either');
      // release answers success for unknown ids (as KMS does), and leaves the other session's pipeline alone.
      assert.equal((await attendee.call('release', { object: neighbours })).error, undefined);
      assert.ok(((await trainer.result('invoke', { object: 'manager_ServerManager', operation: 'getPipelines' })).value as string[]).includes(neighbours));

      const created = (await eventsAfter(attendee, 200))
        .filter((event) => event.params?.value.type === 'ObjectCreated')
        .map((event) => event.params?.value.data.object);
      assert.ok(created.includes(mine) && created.includes(endpoint), 'ObjectCreated for its own objects');
      assert.ok(!created.includes(theirs) && !created.includes(neighbours), "no ObjectCreated for other sessions' objects");
      await trainer.result('release', { object: theirs });
      await trainer.result('release', { object: neighbours });
      await attendee.result('release', { object: mine });
    } finally {
      trainer.close();
      attendee.close();
      other.close();
    }
  });

  test('the duplicate-request cache is per connection: another connection cannot pre-answer a request', async () => {
    const first = await RawClient.connect(`${lanUrl}?token=${token}`, fromLan());
    const second = await RawClient.connect(`${lanUrl}?token=${token}`, fromLan());
    try {
      const sessionId = String((await first.result('describe', { object: 'manager_ServerManager' })).sessionId);
      // The second connection sends request id 7 in the first one's session before the first one does.
      const planted = await second.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'invoke', params: { sessionId, object: 'manager_ServerManager', operation: 'getCpuCount' } }), 7);
      assert.equal(typeof planted.result?.value, 'number');
      const real = await first.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'create', params: { sessionId, type: 'MediaPipeline' } }), 7);
      assert.match(String(real.result?.value), /_kurento\.MediaPipeline$/, 'the first connection gets its own answer, not the planted one');
      const again = await first.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'create', params: { sessionId, type: 'MediaPipeline' } }), 7);
      assert.equal(again.result?.value, real.result?.value, 'a true duplicate on the same connection still gets the first answer');
      await first.result('release', { object: String(real.result?.value) });
    } finally {
      first.close();
      second.close();
    }
  });

  describe('players with http(s) sources', () => {
    let http: Server;
    let hits = 0;
    let httpPort = 0;
    before(async () => {
      http = createHttpServer((req, res) => {
        hits += 1;
        if (req.url === '/redirect') {
          res.writeHead(302, { Location: `http://127.0.0.1:${httpPort}/clip.webm` }).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'video/webm' });
        createReadStream(SAMPLE).pipe(res);
      });
      http.listen(0, '0.0.0.0');
      await once(http, 'listening');
      httpPort = (http.address() as { port: number }).port;
    });
    after(() => {
      http.closeAllConnections();
      http.close();
    });

    /** Creates a player for `uri` over `client`, plays it, and returns the first Error or the START state. */
    async function play(client: RawClient, uri: string): Promise<{ error?: Record<string, unknown>; started: boolean }> {
      const pipeline = String((await client.result('create', { type: 'MediaPipeline' })).value);
      try {
        const player = String((await client.result('create', { type: 'PlayerEndpoint', constructorParams: { mediaPipeline: pipeline, uri } })).value);
        await client.result('subscribe', { object: player, type: 'Error' });
        await client.result('subscribe', { object: player, type: 'UriEndpointStateChanged' });
        client.events.length = 0;
        await client.result('invoke', { object: player, operation: 'play' });
        const deadline = Date.now() + 8000;
        while (Date.now() < deadline) {
          const error = client.events.find((event) => event.params?.value.type === 'Error');
          if (error) return { error: error.params?.value.data, started: false };
          if (client.events.some((event) => event.params?.value.type === 'UriEndpointStateChanged' && event.params.value.data.state === 'START')) return { started: true };
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return { started: false };
      } finally {
        await client.result('release', { object: pipeline });
      }
    }

    test('loopback and private addresses are refused, open port or closed, in plain words', async () => {
      const attendee = await RawClient.connect(lanUrl, fromLan({ headers: { Origin: SITE_ORIGIN } }));
      try {
        hits = 0;
        const closedPort = await new Promise<number>((resolve) => {
          const probe = createHttpServer().listen(0, '127.0.0.1', () => {
            const { port } = probe.address() as { port: number };
            probe.close(() => resolve(port));
          });
        });
        const open = await play(attendee, `http://127.0.0.1:${httpPort}/clip.webm`);
        const closed = await play(attendee, `http://127.0.0.1:${closedPort}/clip.webm`);
        const lanSource = await play(attendee, `http://${lan}:${httpPort}/clip.webm`);
        const named = await play(attendee, `http://localhost:${httpPort}/clip.webm`);
        for (const result of [open, closed, lanSource, named]) {
          assert.equal(result.error?.type, 'RESOURCE_ERROR_OPEN');
          assert.match(String(result.error?.description), /loopback, link-local or private/);
          assert.doesNotMatch(String(result.error?.description), /refused|ECONN|Connection|tcp|ffmpeg|127\.0\.0\.1:\d+\/[0-9a-f]{24}/i);
        }
        assert.equal(
          String(open.error?.description).replace(/:\d+\//, ':P/'),
          String(closed.error?.description).replace(/:\d+\//, ':P/'),
          'an open port and a closed one give the same text',
        );
        assert.equal(hits, 0, 'the local server was never asked');
      } finally {
        attendee.close();
      }
    });

    test("the site's own origin stays readable; a redirect from it to a private address does not", async () => {
      const trusted = await startKms({ host: '0.0.0.0', allowedOrigins: [SITE_ORIGIN], trustedSources: [`http://127.0.0.1:${httpPort}`] });
      const client = await RawClient.connect(`ws://127.0.0.1:${trusted.port}/kurento`);
      try {
        hits = 0;
        assert.deepEqual(await play(client, `http://127.0.0.1:${httpPort}/clip.webm`), { started: true });
        assert.ok(hits > 0);
        const redirected = await play(client, `http://${lan}:${httpPort}/redirect`);
        assert.match(String(redirected.error?.description), /loopback, link-local or private/, 'the LAN address itself is not trusted');
      } finally {
        client.close();
        await trusted.stop();
      }
    });

    test('--allow-private-sources lets them play', async () => {
      const open = await startKms({ host: '0.0.0.0', allowedOrigins: [SITE_ORIGIN], allowPrivateSources: true });
      const client = await RawClient.connect(`ws://127.0.0.1:${open.port}/kurento`);
      try {
        assert.deepEqual(await play(client, `http://127.0.0.1:${httpPort}/clip.webm`), { started: true });
        const closed = await play(client, `http://127.0.0.1:1/clip.webm`);
        assert.equal(closed.error?.description, `Could not open http://127.0.0.1:1/clip.webm: the source could not be reached`);
      } finally {
        client.close();
        await open.stop();
      }
    });
  });

  test('media sockets: a loopback-only KMS binds and announces 127.0.0.1 alone; a network one, every interface', async () => {
    const local = await startKms();
    try {
      assert.deepEqual(local.mediaAddresses, { addresses: ['127.0.0.1'], bind: '127.0.0.1' });
      const client = await RawClient.connect(local.url);
      const pipeline = String((await client.result('create', { type: 'MediaPipeline' })).value);
      const endpoint = String((await client.result('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline } })).value);
      await client.result('subscribe', { object: endpoint, type: 'IceCandidateFound' });
      await client.result('invoke', { object: endpoint, operation: 'generateOffer' });
      await client.result('invoke', { object: endpoint, operation: 'gatherCandidates' });
      await eventsAfter(client, 300);
      const candidates = client.events
        .filter((event) => event.params?.value.type === 'IceCandidateFound')
        .map((event) => String((event.params?.value.data.candidate as { candidate: string }).candidate));
      assert.ok(candidates.length > 0);
      for (const candidate of candidates) {
        const [, , , , address, port] = candidate.split(' ');
        assert.equal(address, '127.0.0.1', candidate);
        // Bound to 127.0.0.1 exactly: the same port is still free on the LAN address (a wildcard bind would hold it).
        const probe = createSocket('udp4');
        await new Promise<void>((resolve, reject) => {
          probe.once('error', reject);
          probe.bind(Number(port), lan, () => resolve());
        });
        probe.close();
      }
      await client.result('release', { object: pipeline });
      client.close();
    } finally {
      await local.stop();
    }
    const addresses = kms.mediaAddresses.addresses;
    assert.ok(addresses.includes(lan) && addresses.includes('127.0.0.1'), addresses.join(', '));
    assert.equal(kms.mediaAddresses.bind, undefined);
  });
});
