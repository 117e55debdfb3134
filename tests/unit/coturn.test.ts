/**
 * coturn in the loop: the CoturnService with the real Debian `turnserver` (start, STUN, configuration, credentials,
 * "not installed"), TURN_URL parsing, the embedded KMS gathering relay candidates through it over UDP and TCP, a
 * relay-only werift peer getting its media back through it, the candidate parser of the lab's table, and the coturn
 * configuration form (with the turnadmin -k key).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import kurentoClient, { type KurentoClient, type MediaPipeline, type WebRtcEndpoint } from 'kurento-client';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, createTurnClient } from 'werift';
import {
  COTURN_NOT_INSTALLED,
  CoturnService,
  coturnConfigText,
  findExecutable,
  parseStunBindingResponse,
  parseTurnEnv,
  restCredential,
  stunBinding,
  stunBindingRequest,
  type TurnForLabs,
} from '../../server/turn/coturn';
import type { KmsServer } from '../../server/kms/server';
import { iceServerConfig, signaledMatch } from '../../server/kms/media/webrtc-session';
import { call } from '../../core/kurento';
import { startKms } from '../helpers/kms';
import { RtpSource, isVp8KeyframeStart } from '../helpers/rtp-source';
import { waitFor } from '../helpers/werift-peer';
import { allocate, listener, relayTo } from '../helpers/turn-probe';
import { NEEDS_LAN, lanAddress } from '../helpers/network';
import { candidateRows, parseCandidate } from '../../src/components/LabKit/candidates';
import {
  DEFAULT_COTURN_FORM,
  coturnKey,
  md5Hex,
  renderCoturnOutputs,
  validateCoturnForm,
  type CoturnFormValues,
} from '../../src/components/CoturnConfigForm/coturn-text';
import type { LabEvent, LabSettings } from '../../labs/framework/types';
import { labTurn, turnRelay } from '../../labs/turn-relay';
import { parseProgram, settingsCode } from '../../labs/framework/program';

const HAVE_COTURN = findExecutable('turnserver') !== undefined;
const needsCoturn = { skip: HAVE_COTURN ? false : COTURN_NOT_INSTALLED };

// 1. The service -----------------------------------------------------------------------------------------------------

describe('CoturnService', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kurento-labs-turn-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('not installed: start() resolves and says how to install it', async () => {
    const lines: string[] = [];
    const service = new CoturnService({ stateDir: path.join(dir, 'missing'), searchPath: path.join(dir, 'no-bin'), log: (line) => lines.push(line) });
    await service.start();
    assert.deepEqual(service.status(), { available: false, reason: 'coturn is not installed: sudo apt-get install coturn' });
    assert.equal(service.forLabs(), null);
    assert.deepEqual(service.urls(), []);
    assert.equal((await service.health()).ok, false);
    assert.match(lines.join('\n'), /sudo apt-get install coturn/);
    await service.stop();
  });

  test('a turnserver that dies at once is reported, and start() still resolves', async () => {
    const bin = path.join(dir, 'fake-bin');
    await rm(bin, { recursive: true, force: true });
    await import('node:fs/promises').then(({ mkdir }) => mkdir(bin, { recursive: true }));
    await writeFile(path.join(bin, 'turnserver'), '#!/bin/sh\necho "broken on purpose" >&2\nexit 3\n', { mode: 0o755 });
    const service = new CoturnService({ stateDir: path.join(dir, 'broken'), searchPath: bin, port: 3700, log: () => undefined });
    await service.start();
    const status = service.status();
    assert.equal(status.available, false);
    assert.match(status.reason ?? '', /exited with code 3: broken on purpose/);
    await service.stop();
  });

  test('starts the real coturn, answers STUN, regenerates its configuration, keeps its secret, stops', needsCoturn, async () => {
    const stateDir = path.join(dir, 'real');
    const service = new CoturnService({ stateDir, port: 3610, log: () => undefined });
    const started = Date.now();
    await service.start();
    const startMs = Date.now() - started;
    assert.deepEqual(service.status(), { available: true });
    const port = service.port ?? 0;
    assert.ok(port >= 3610 && port < 3630);
    const turn = service.forLabs();
    assert.ok(turn);
    assert.equal(turn.urls, `turn:127.0.0.1:${port}?transport=udp`);
    assert.equal(turn.transport, 'udp');
    assert.equal(turn.kmsTurnUrl, `${turn.username}:${turn.credential}@127.0.0.1:${port}?transport=udp`);
    assert.match(turn.username, /^\d{10}:kurento-labs$/, 'a TURN REST username: <expiry>:<name>');
    const expiry = Number(turn.username.split(':')[0]) * 1000;
    assert.ok(expiry > Date.now() + 3 * 3600_000 && expiry <= Date.now() + 4 * 3600_000 + 1000, 'valid for four hours');
    assert.equal(turn.expiresAt, expiry);
    assert.match(turn.credential, /^[A-Za-z0-9+/]{27}=$/, 'base64 HMAC-SHA1: no ":" or "@" that would break turnURL');
    const mapped = await stunBinding('127.0.0.1', port, 1000);
    assert.equal(mapped.address, '127.0.0.1', 'XOR-MAPPED-ADDRESS decoded');
    assert.ok(mapped.port > 0);
    assert.equal((await service.health()).ok, true);
    assert.match(service.urls()[0]?.url ?? '', new RegExp(`turn:127.0.0.1:${port}`));

    const config = await readFile(service.configFile, 'utf8');
    for (const line of [
      'listening-ip=127.0.0.1',
      'relay-ip=127.0.0.1',
      `listening-port=${port}`,
      'min-port=49160',
      'max-port=49199',
      'fingerprint',
      'use-auth-secret',
      'realm=kurento-labs',
      'denied-peer-ip=0.0.0.0-255.255.255.255',
      'allowed-peer-ip=127.0.0.1',
      'allow-loopback-peers',
      'no-tcp-relay',
      'no-cli',
      'no-tls',
      'no-dtls',
      'no-multicast-peers',
      `pidfile=${path.join(stateDir, 'turnserver.pid')}`,
      `log-file=${path.join(stateDir, 'turnserver.log')}`,
      'simple-log',
    ]) {
      assert.ok(config.split('\n').includes(line), `turnserver.conf has ${line}`);
    }
    assert.doesNotMatch(config, /^(user=|lt-cred-mech)/m, 'no permanent user in the configuration');
    const pid = Number((await readFile(path.join(stateDir, 'turnserver.pid'), 'utf8')).trim());
    assert.ok(pid > 0);

    await service.stop();
    assert.equal(service.status().available, false);
    assert.throws(() => process.kill(pid, 0), 'the turnserver process is gone after stop()');
    await assert.rejects(stunBinding('127.0.0.1', port, 300), 'nothing answers STUN after stop()');

    // A hand-edited (or deleted) configuration is written again on the next start; the secret survives, so a
    // credential minted before the restart still works.
    await writeFile(service.configFile, 'listening-port=1\n');
    const again = new CoturnService({ stateDir, port: 3610, log: () => undefined });
    await again.start();
    assert.equal(again.status().available, true);
    assert.match(await readFile(again.configFile, 'utf8'), new RegExp(`^listening-port=${again.port}$`, 'm'));
    const { secret } = JSON.parse(await readFile(path.join(stateDir, 'secret.json'), 'utf8')) as { secret: string };
    assert.match(await readFile(again.configFile, 'utf8'), new RegExp(`^static-auth-secret=${secret}$`, 'm'));
    const allocation = await createTurnClient({ address: ['127.0.0.1', again.port ?? 0], username: turn.username, password: turn.credential });
    await allocation.close();
    await again.stop();
    await again.stop(); // idempotent
    console.log(`  coturn answered STUN ${startMs} ms after start()`);
  });

  test('a turnserver left behind by a killed run is stopped, and its port reused', needsCoturn, async () => {
    const stateDir = path.join(dir, 'leftover');
    const first = new CoturnService({ stateDir, port: 3670, log: () => undefined });
    await first.start();
    assert.equal(first.port, 3670);
    const pid = Number((await readFile(path.join(stateDir, 'turnserver.pid'), 'utf8')).trim());
    // A second service on the same state directory, as after a crash of the first `npm start`.
    const lines: string[] = [];
    const second = new CoturnService({ stateDir, port: 3670, log: (line) => lines.push(line) });
    try {
      await second.start();
      assert.equal(second.status().available, true);
      assert.equal(second.port, 3670, 'the leftover was stopped, so the port is free again');
      assert.match(lines.join('\n'), new RegExp(`left behind \\(pid ${pid}\\)`));
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  test('a busy port: the next free one is used', needsCoturn, async () => {
    const blocker = createSocket('udp4');
    blocker.bind(3650, '127.0.0.1');
    await once(blocker, 'listening');
    const service = new CoturnService({ stateDir: path.join(dir, 'busy'), port: 3650, log: () => undefined });
    try {
      await service.start();
      assert.equal(service.status().available, true);
      assert.equal(service.port, 3651);
      assert.equal(service.forLabs()?.urls, 'turn:127.0.0.1:3651?transport=udp');
    } finally {
      await service.stop();
      blocker.close();
    }
  });
});

describe('what a TURN user can reach', needsCoturn, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kurento-labs-turn-reach-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('on one machine: the relay reaches the KMS media address and no other loopback listener; no TCP relays', async () => {
    const service = new CoturnService({ stateDir: path.join(dir, 'local'), port: 3540, peers: () => ['127.0.0.1'], log: () => undefined });
    await service.start();
    const kmsMedia = await listener('127.0.0.1');
    const otherLoopback = await listener('127.0.0.2');
    try {
      const turn = service.forLabs();
      assert.ok(turn);
      const server: [string, number] = ['127.0.0.1', service.port ?? 0];
      assert.equal(await relayTo(server, turn.username, turn.credential, ['127.0.0.1', kmsMedia.port]), 'sent');
      assert.notEqual(await relayTo(server, turn.username, turn.credential, ['127.0.0.2', otherLoopback.port]), 'sent', 'another loopback address is refused');
      await waitFor(() => kmsMedia.received() === 1, 2000, 'the datagram at the KMS address');
      assert.equal(otherLoopback.received(), 0);
      assert.equal(await allocate(server, turn.username, turn.credential, 'udp'), 'success');
      assert.equal(await allocate(server, turn.username, turn.credential, 'tcp'), 442, 'TCP relays (RFC 6062) are refused: 442 Unsupported Transport Protocol');
    } finally {
      kmsMedia.close();
      otherLoopback.close();
      await service.stop();
    }
  });

  test('in a workshop: the relay on the LAN address reaches the KMS there and nothing on loopback', { skip: NEEDS_LAN }, async () => {
    const lan = lanAddress() ?? '';
    // As npm start -- --host 0.0.0.0 sets it up: coturn on the LAN address, relaying to the KMS's LAN media address.
    const service = new CoturnService({ stateDir: path.join(dir, 'lan'), host: lan, port: 3545, peers: () => [lan], log: () => undefined });
    await service.start();
    const kmsMedia = await listener(lan);
    const loopbackService = await listener('127.0.0.1');
    try {
      const config = await readFile(service.configFile, 'utf8');
      assert.doesNotMatch(config, /^allow-loopback-peers$/m, 'loopback peers stay refused');
      const turn = service.forLabs();
      assert.ok(turn);
      const server: [string, number] = [lan, service.port ?? 0];
      assert.notEqual(await relayTo(server, turn.username, turn.credential, ['127.0.0.1', loopbackService.port]), 'sent', "no relay into this machine's loopback");
      assert.equal(await relayTo(server, turn.username, turn.credential, [lan, kmsMedia.port]), 'sent');
      await waitFor(() => kmsMedia.received() === 1, 2000, 'the datagram at the KMS address');
      assert.equal(loopbackService.received(), 0);
      assert.equal(await allocate(server, turn.username, turn.credential, 'tcp'), 442);
    } finally {
      kmsMedia.close();
      loopbackService.close();
      await service.stop();
    }
  });

  test('credentials are minted, time-limited and bound to the secret', async () => {
    const service = new CoturnService({ stateDir: path.join(dir, 'rest'), port: 3555, credentialTtlSeconds: 2, log: () => undefined });
    await service.start();
    try {
      const server: [string, number] = ['127.0.0.1', service.port ?? 0];
      const fresh = service.forLabs();
      const other = service.forLabs(Date.now() + 1000);
      assert.ok(fresh && other);
      assert.notEqual(fresh.username, other.username, 'each call mints its own');
      assert.equal(await allocate(server, fresh.username, fresh.credential, 'udp'), 'success');
      const { secret } = JSON.parse(await readFile(path.join(service.stateDir, 'secret.json'), 'utf8')) as { secret: string };
      const expired = restCredential(secret, 'kurento-labs', 1, Date.now() - 10_000);
      assert.equal(await allocate(server, expired.username, expired.credential, 'udp'), 401, 'an expired credential is refused');
      const forged = restCredential('another secret', 'kurento-labs', 3600);
      assert.equal(await allocate(server, forged.username, forged.credential, 'udp'), 401, 'a credential of another secret is refused');
      assert.equal(await allocate(server, 'kurento-labs', fresh.credential, 'udp'), 401, 'a plain user name is refused');
    } finally {
      await service.stop();
    }
  });

  test('coturn is restarted when it exits, and its status is the live one', async () => {
    const lines: string[] = [];
    const service = new CoturnService({ stateDir: path.join(dir, 'supervised'), port: 3565, restartDelaysMs: [200, 400], log: (line) => lines.push(line) });
    await service.start();
    try {
      const pid = service.pid;
      assert.ok(pid);
      process.kill(pid, 'SIGKILL');
      await waitFor(() => !service.status().available, 3000, 'the status says coturn is gone');
      assert.match(service.status().reason ?? '', /coturn exited \(SIGKILL\)/);
      assert.equal(service.forLabs(), null, 'no credentials for a TURN server that is down');
      await waitFor(() => service.status().available, 10000, 'coturn restarted');
      assert.notEqual(service.pid, pid);
      assert.equal(service.restarts, 1);
      const turn = service.forLabs();
      assert.ok(turn);
      assert.equal(await allocate(['127.0.0.1', service.port ?? 0], turn.username, turn.credential, 'udp'), 'success');
      assert.match(lines.join('\n'), /restarting coturn in 200 ms/);
    } finally {
      await service.stop();
    }
    assert.equal(service.status().available, false);
  });
});

describe('STUN and TURN_URL', () => {
  test('Binding request header and response parsing', () => {
    const id = Buffer.from('0123456789ab');
    const request = stunBindingRequest(id);
    assert.equal(request.length, 20);
    assert.equal(request.readUInt16BE(0), 0x0001);
    assert.equal(request.readUInt16BE(2), 0);
    assert.equal(request.readUInt32BE(4), 0x2112a442);
    assert.deepEqual(request.subarray(8), id);
    // A success response with XOR-MAPPED-ADDRESS 192.0.2.1:32853 (RFC 5769 test vector values).
    const response = Buffer.alloc(32);
    response.writeUInt16BE(0x0101, 0);
    response.writeUInt16BE(12, 2);
    response.writeUInt32BE(0x2112a442, 4);
    id.copy(response, 8);
    response.writeUInt16BE(0x0020, 20);
    response.writeUInt16BE(8, 22);
    response.writeUInt8(0x01, 25);
    response.writeUInt16BE(32853 ^ 0x2112, 26);
    response.writeUInt32BE((0xc0000201 ^ 0x2112a442) >>> 0, 28);
    assert.deepEqual(parseStunBindingResponse(response, id), { address: '192.0.2.1', port: 32853 });
    assert.equal(parseStunBindingResponse(response, Buffer.from('another-id!!')), undefined, 'other transactions are ignored');
  });

  test('TURN_URL in KMS format gives both forms', () => {
    const expected: TurnForLabs = {
      urls: 'turn:10.0.0.5:3478?transport=tcp',
      username: 'alice',
      credential: 's3cret',
      kmsTurnUrl: 'alice:s3cret@10.0.0.5:3478?transport=tcp',
      transport: 'tcp',
    };
    assert.deepEqual(parseTurnEnv('alice:s3cret@10.0.0.5:3478?transport=tcp'), expected);
    assert.deepEqual(parseTurnEnv(' bob:pw@192.168.1.2:3479 '), {
      urls: 'turn:192.168.1.2:3479?transport=udp',
      username: 'bob',
      credential: 'pw',
      kmsTurnUrl: 'bob:pw@192.168.1.2:3479?transport=udp',
      transport: 'udp',
    });
    assert.equal(parseTurnEnv('carol:pw@10.0.0.1:5349?transport=tls')?.urls, 'turns:10.0.0.1:5349?transport=tcp');
    assert.equal(parseTurnEnv(''), undefined);
    assert.equal(parseTurnEnv(undefined), undefined);
    assert.equal(parseTurnEnv('turn:10.0.0.5:3478'), undefined, 'browser format is not KMS format');
    assert.equal(parseTurnEnv('alice:pw@turn.example.com:3478'), undefined, 'KMS takes no host names');
    assert.equal(parseTurnEnv('alice:pw@10.0.0.5:99999'), undefined);
  });

  test('the configuration relays only to the given peers; loopback only when a peer is on loopback', () => {
    const base = { port: 3478, minPort: 49160, maxPort: 49199, realm: 'kurento-labs', secret: 's', stateDir: '/x' };
    const local = coturnConfigText({ ...base, host: '127.0.0.1', peers: ['127.0.0.1'] });
    assert.match(local, /NOT use allow-loopback-peers without such rules/);
    assert.deepEqual(local.split('\n').filter((line) => /peer/.test(line) && !line.startsWith('#')), [
      'denied-peer-ip=0.0.0.0-255.255.255.255',
      'denied-peer-ip=::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'allowed-peer-ip=127.0.0.1',
      'allow-loopback-peers',
      'no-multicast-peers',
    ]);
    const lan = coturnConfigText({ ...base, host: '192.168.1.10', peers: ['192.168.1.10', '10.0.0.2', 'not-an-ip'] });
    assert.deepEqual(lan.split('\n').filter((line) => /^allowed-peer-ip|^allow-loopback/.test(line)), ['allowed-peer-ip=192.168.1.10', 'allowed-peer-ip=10.0.0.2']);
    assert.match(lan, /^no-tcp-relay$/m);
  });
});

// 2. KMS through coturn ----------------------------------------------------------------------------------------------

const VIDEO_FEEDBACK = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];

/** A werift peer in the browser's role that may only use relay candidates (iceTransportPolicy 'relay'). */
class RelayOnlyPeer {
  readonly pc: RTCPeerConnection;
  readonly candidates: string[] = [];
  received = { videoPackets: 0, audioPackets: 0, keyframes: 0 };
  private readonly video = new MediaStreamTrack({ kind: 'video' });
  private readonly audio = new MediaStreamTrack({ kind: 'audio' });
  private readonly stops: Array<() => void> = [];

  constructor(turn: TurnForLabs) {
    this.pc = new RTCPeerConnection({
      iceServers: [{ urls: turn.urls, username: turn.username, credential: turn.credential }],
      iceTransportPolicy: 'relay',
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceUseIpv6: false,
      headerExtensions: { audio: [], video: [] },
      codecs: {
        audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })],
        video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96, rtcpFeedback: VIDEO_FEEDBACK })],
      },
    });
    this.pc.addTransceiver(this.video, { direction: 'sendrecv' });
    this.pc.addTransceiver(this.audio, { direction: 'sendrecv' });
    this.pc.onIceCandidate.subscribe((candidate) => {
      if (candidate?.candidate) this.candidates.push(candidate.candidate);
    });
    this.pc.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((packet) => {
        if (track.kind === 'video') {
          this.received.videoPackets += 1;
          if (isVp8KeyframeStart(packet.payload)) this.received.keyframes += 1;
        } else {
          this.received.audioPackets += 1;
        }
      });
    });
  }

  sendFrom(source: RtpSource): void {
    this.stops.push(
      source.onVideo((packet) => this.video.writeRtp(packet.clone())),
      source.onAudio((packet) => this.audio.writeRtp(packet.clone())),
    );
  }

  /** The nominated pair as getStats shows it (what a browser's candidate-pair / local-candidate stats say). */
  async selectedPair(): Promise<{ localType: string; remoteType: string } | undefined> {
    const report = await this.pc.getStats();
    const stats = [...report.values()] as unknown as Array<Record<string, unknown>>;
    const pair = stats.find((stat) => stat.type === 'candidate-pair' && stat.nominated === true);
    if (!pair) return undefined;
    const local = stats.find((stat) => stat.id === pair.localCandidateId);
    const remote = stats.find((stat) => stat.id === pair.remoteCandidateId);
    return { localType: String(local?.candidateType), remoteType: String(remote?.candidateType) };
  }

  async close(): Promise<void> {
    for (const stop of this.stops) stop();
    await this.pc.close();
  }
}

describe('the embedded KMS through coturn', needsCoturn, () => {
  let coturn: CoturnService;
  let kms: KmsServer;
  let client: KurentoClient;
  let turn: TurnForLabs;
  let source: RtpSource;
  let stateDir: string;

  before(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'kurento-labs-turn-kms-'));
    coturn = new CoturnService({ stateDir, port: 3520, log: () => undefined });
    await coturn.start();
    const forLabs = coturn.forLabs();
    if (!forLabs) throw new Error(`coturn did not start: ${coturn.status().reason}`);
    turn = forLabs;
    kms = await startKms();
    client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
    source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 300_000, gop: 30 });
    await source.start();
  });

  after(async () => {
    client.close();
    await source.stop();
    await kms.stop();
    await coturn.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  /** The coturn log once it contains `text` (or after 3 s): coturn writes it as sessions happen. */
  async function coturnLog(text: string): Promise<string> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const log = await readFile(coturn.logFile, 'utf8').catch(() => '');
      if (log.includes(text) || Date.now() > deadline) return log;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** generateOffer, setTurnUrl (after the offer, before gathering, as a lab may), gatherCandidates: what KMS found. */
  async function gatherWith(turnUrl: string): Promise<{ candidates: string[]; gatheringMs: number }> {
    const pipeline = await call<MediaPipeline>((done) => client.create('MediaPipeline', done));
    try {
      const endpoint = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
      const candidates: string[] = [];
      let doneAt: number | undefined;
      endpoint.on('IceCandidateFound', (event) => candidates.push(event.candidate.candidate));
      endpoint.on('IceGatheringDone', () => {
        doneAt = Date.now();
      });
      await call<string>((done) => endpoint.generateOffer(done));
      await call<void>((done) => endpoint.setTurnUrl(turnUrl, (error: unknown) => done(error, undefined)));
      assert.equal(await call<string>((done) => endpoint.getTurnUrl(done)), turnUrl);
      const started = Date.now();
      await call<void>((done) => endpoint.gatherCandidates((error: unknown) => done(error, undefined)));
      await waitFor(() => doneAt !== undefined, 15000, 'IceGatheringDone');
      return { candidates, gatheringMs: (doneAt ?? started) - started };
    } finally {
      await call<void>((done) => pipeline.release((error: unknown) => done(error, undefined)));
    }
  }

  for (const transport of ['udp', 'tcp'] as const) {
    test(`setTurnUrl(…?transport=${transport}): KMS gathers a typ relay candidate through coturn`, async () => {
      const turnUrl = turn.kmsTurnUrl.replace(/\?transport=\w+$/, `?transport=${transport}`);
      const { candidates, gatheringMs } = await gatherWith(turnUrl);
      const relay = candidates.map(parseCandidate).find((candidate) => candidate?.type === 'relay');
      assert.ok(relay, `a relay candidate among ${candidates.join(' | ')}`);
      assert.equal(relay.address, '127.0.0.1', 'relayed from coturn relay-ip');
      assert.ok(relay.port >= 49160 && relay.port <= 49199, `relay port ${relay.port} in coturn's min-port..max-port`);
      // coturn logs each TCP client; the relay candidate's raddr:rport is KMS' end of the connection to coturn.
      const tcpLine = `tcp or tls connected to: 127.0.0.1:${relay.relatedPort}`;
      const log = await coturnLog(transport === 'tcp' ? tcpLine : 'ALLOCATE processed, success');
      assert.equal(log.includes(tcpLine), transport === 'tcp', `the allocation went over ${transport}`);
      console.log(`  ${transport}: relay ${relay.address}:${relay.port} (raddr ${relay.relatedAddress}:${relay.relatedPort}), gathering done in ${gatheringMs} ms`);
    });
  }

  test('setStunServerAddress / setStunServerPort before gatherCandidates: srflx candidates from coturn as a STUN server', async () => {
    const pipeline = await call<MediaPipeline>((done) => client.create('MediaPipeline', done));
    try {
      const endpoint = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
      const candidates: string[] = [];
      endpoint.on('IceCandidateFound', (event) => candidates.push(event.candidate.candidate));
      await call<string>((done) => endpoint.generateOffer(done));
      await call<void>((done) => endpoint.setStunServerAddress('127.0.0.1', (error: unknown) => done(error, undefined)));
      await call<void>((done) => endpoint.setStunServerPort(coturn.port ?? 0, (error: unknown) => done(error, undefined)));
      await call<void>((done) => endpoint.gatherCandidates((error: unknown) => done(error, undefined)));
      await waitFor(() => candidates.some((candidate) => / typ srflx /.test(candidate)), 5000, 'a srflx candidate');
      const srflx = candidates.map(parseCandidate).find((candidate) => candidate?.type === 'srflx');
      assert.equal(srflx?.address, '127.0.0.1', 'the address coturn saw');
      assert.equal(candidates.some((candidate) => / typ relay /.test(candidate)), false, 'STUN alone gives no relay');
    } finally {
      await call<void>((done) => pipeline.release((error: unknown) => done(error, undefined)));
    }
  });

  test('turnURL of the server configuration gathers relay too, and a wrong password gathers none', async () => {
    const configured = await startKms({ turnUrl: turn.kmsTurnUrl });
    const other = await call<KurentoClient>((done) => kurentoClient(configured.url, { failAfter: 2 }, done));
    try {
      const pipeline = await call<MediaPipeline>((done) => other.create('MediaPipeline', done));
      const endpoint = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
      assert.equal(await call<string>((done) => endpoint.getTurnUrl(done)), turn.kmsTurnUrl);
      const candidates: string[] = [];
      endpoint.on('IceCandidateFound', (event) => candidates.push(event.candidate.candidate));
      await call<string>((done) => endpoint.generateOffer(done));
      await call<void>((done) => endpoint.gatherCandidates((error: unknown) => done(error, undefined)));
      await waitFor(() => candidates.some((candidate) => / typ relay /.test(candidate)), 10000, 'a relay candidate');
    } finally {
      other.close();
      await configured.stop();
    }
    const wrong = await gatherWith(turn.kmsTurnUrl.replace(`:${turn.credential}@`, ':wrong-password@'));
    assert.equal(wrong.candidates.filter((candidate) => / typ relay /.test(candidate)).length, 0, 'coturn refuses a wrong password: no relay');
    assert.ok(wrong.candidates.some((candidate) => / typ host /.test(candidate)), 'host candidates still come');
    // coturn's 401 to the credentials ends the TURN attempt (as in KMS and browsers): gathering does not wait out the
    // 7 retransmissions over UDP and then over TCP (6.4 s each) that a dropped 401 leads to (server/kms/media/werift-turn-refusal.ts).
    assert.ok(wrong.gatheringMs < 6000, `IceGatheringDone after the refusal, not after retransmitting for nothing (${wrong.gatheringMs} ms)`);
  });

  test('a relay-only peer (iceTransportPolicy relay) gets its media back through coturn', async () => {
    const peer = new RelayOnlyPeer(turn);
    peer.sendFrom(source);
    const pipeline = await call<MediaPipeline>((done) => client.create('MediaPipeline', done));
    const events: LabEvent[] = [];
    try {
      const endpoint = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
      for (const name of ['NewCandidatePairSelected', 'IceComponentStateChanged', 'MediaFlowInStateChanged'] as const) {
        (endpoint as unknown as { on(event: string, listener: (data: Record<string, unknown>) => void): void }).on(name, (data) =>
          events.push({ t: 0, lane: 'kms', source: 'webRtcEndpoint', type: name, data }),
        );
      }
      endpoint.on('IceCandidateFound', (event) => void peer.pc.addIceCandidate(event.candidate).catch(() => undefined));
      peer.pc.onIceCandidate.subscribe((candidate) => {
        if (candidate?.candidate) endpoint.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? '0', sdpMLineIndex: candidate.sdpMLineIndex ?? 0 });
      });
      const started = Date.now();
      const offer = await peer.pc.createOffer();
      await peer.pc.setLocalDescription(offer);
      const answer = await call<string>((done) => endpoint.processOffer(offer.sdp, done));
      await call<void>((done) => endpoint.setTurnUrl(turn.kmsTurnUrl, (error: unknown) => done(error, undefined)));
      await peer.pc.setRemoteDescription({ type: 'answer', sdp: answer });
      await call<void>((done) => endpoint.gatherCandidates((error: unknown) => done(error, undefined)));
      await call<void>((done) => endpoint.connect(endpoint, (error: unknown) => done(error, undefined)));

      await waitFor(() => peer.received.keyframes >= 1 && peer.received.videoPackets >= 100 && peer.received.audioPackets >= 50, 20000, 'media back through coturn');
      const firstMediaMs = Date.now() - started;
      assert.ok(peer.candidates.length > 0);
      assert.ok(
        peer.candidates.every((candidate) => / typ relay /.test(candidate)),
        `a relay-only peer offers relay candidates only: ${peer.candidates.join(' | ')}`,
      );
      const pair = await peer.selectedPair();
      assert.equal(pair?.localType, 'relay', 'the nominated pair of the peer starts at its relay candidate');
      const selected = events.find((event) => event.type === 'NewCandidatePairSelected')?.data.candidatePair as { localCandidate: string; remoteCandidate: string } | undefined;
      assert.ok(selected, 'KMS raised NewCandidatePairSelected');
      assert.ok(
        / typ relay /.test(selected.localCandidate) || / typ relay /.test(selected.remoteCandidate),
        `KMS' selected pair has a relay side: ${selected.localCandidate} / ${selected.remoteCandidate}`,
      );
      assert.ok(events.some((event) => event.type === 'MediaFlowInStateChanged' && event.data.state === 'FLOWING'));
      const log = await coturnLog('CREATE_PERMISSION processed, success');
      assert.match(log, /incoming packet (CREATE_PERMISSION|CHANNEL_BIND) processed, success/, 'coturn relayed for the peer');
      console.log(`  relay-only loopback: first media back after ${firstMediaMs} ms; peer pair ${pair?.localType} → ${pair?.remoteType}; KMS pair ${selected.localCandidate.split(' typ ')[1]?.split(' ')[0]} / ${selected.remoteCandidate.split(' typ ')[1]?.split(' ')[0]}`);
    } finally {
      await peer.close();
      await call<void>((done) => pipeline.release((error: unknown) => done(error, undefined)));
    }
  });
});

test('KMS settings become werift ICE servers; a prflx pair is named by the signaled candidate', () => {
  assert.deepEqual(iceServerConfig({ stunServerAddress: '127.0.0.1', stunServerPort: 3479, turnUrl: 'u:p@127.0.0.1:3478?transport=tcp' }), {
    iceServers: [{ urls: 'stun:127.0.0.1:3479' }, { urls: 'turn:127.0.0.1:3478?transport=tcp', username: 'u', credential: 'p' }],
    turnTransport: 'tcp',
  });
  assert.equal(iceServerConfig({ turnUrl: 'u:p@10.0.0.1:5349?transport=tls' }).iceServers[0]?.urls, 'turns:10.0.0.1:5349?transport=tcp', 'werift takes TLS as turns:');
  assert.deepEqual(iceServerConfig({}), { iceServers: [], turnTransport: undefined });
  const relay = 'candidate:1937080035 1 udp 50339839 127.0.0.1 49172 typ relay raddr 127.0.0.1 rport 37023 generation 0';
  assert.equal(signaledMatch('candidate:0d01 1 udp 1847590911 127.0.0.1 49172 typ prflx', ['candidate:9 1 udp 2113937151 127.0.0.1 5000 typ host', relay]), relay);
  assert.equal(signaledMatch('candidate:0d01 1 udp 1847590911 127.0.0.1 40000 typ prflx', [relay]), 'candidate:0d01 1 udp 1847590911 127.0.0.1 40000 typ prflx');
  assert.equal(signaledMatch('candidate:9 1 udp 2113937151 127.0.0.1 5000 typ host', [relay]), 'candidate:9 1 udp 2113937151 127.0.0.1 5000 typ host');
});

test('the lab applies its transport and credentials to both forms of the TURN server, and explains a missing one', async () => {
  const turn = { urls: 'turn:127.0.0.1:3478?transport=udp', username: 'kurento-labs', credential: 'secret', kmsTurnUrl: 'kurento-labs:secret@127.0.0.1:3478?transport=udp', transport: 'udp' as const };
  assert.deepEqual(labTurn(turn, { transport: 'tcp', credentials: 'right' }), {
    urls: 'turn:127.0.0.1:3478?transport=tcp',
    username: 'kurento-labs',
    credential: 'secret',
    kmsTurnUrl: 'kurento-labs:secret@127.0.0.1:3478?transport=tcp',
    transport: 'tcp',
    wrong: false,
  });
  const wrong = labTurn(turn, { transport: 'udp', credentials: 'wrong' });
  assert.notEqual(wrong.credential, 'secret');
  assert.equal(wrong.kmsTurnUrl, `kurento-labs:${wrong.credential}@127.0.0.1:3478?transport=udp`);
  assert.equal(labTurn({ ...turn, urls: 'turn:turn.example.com:3478', kmsTurnUrl: '' }, {}).kmsTurnUrl, '', 'KMS takes no host names');
  // Without a TURN server the lab stops with the turn-missing explanation, before anything runs.
  const settings: LabSettings = {
    kmsUrl: 'ws://127.0.0.1:8888/kurento',
    iceServers: [],
    siteOrigin: 'http://127.0.0.1:3000',
    turnStatus: { available: false, reason: 'coturn is not installed: sudo apt-get install coturn' },
  };
  const missing = turnRelay.unavailable?.(settings, {});
  assert.ok(missing, 'no TURN server: the lab cannot run');
  assert.equal(missing.code, 'turn-missing');
  assert.match(missing.fix.en, /sudo apt-get install coturn/);
  assert.match(missing.fix['zh-Hans'], /coturn/);
  assert.equal(turnRelay.unavailable?.({ ...settings, turn: { ...turn, source: 'start' } }, {}), undefined, 'with a TURN server it runs');
  const named = turnRelay.unavailable?.({ ...settings, turn: { ...turn, urls: 'turn:turn.example.com:3478', kmsTurnUrl: '', source: 'panel' } }, {});
  assert.equal(named?.code, 'turn-missing', 'KMS takes no host names');
  assert.match(named?.title.en ?? '', /turn\.example\.com/);
  assert.deepEqual(turnRelay.params?.map((param) => `${param.id}=${String(param.default)}`), ['transport=udp', 'credentials=right']);
});

test('the program applies transport and credentials as labTurn does: its settings and declarations, run', async () => {
  const program = parseProgram(await readFile(path.join(__dirname, '..', '..', 'labs', 'programs', 'turn-relay.js'), 'utf8'));
  const udp = { urls: 'turn:127.0.0.1:3478?transport=udp', username: 'kurento-labs', credential: 'secret', kmsTurnUrl: 'kurento-labs:secret@127.0.0.1:3478?transport=udp', transport: 'udp' as const, source: 'start' as const };
  const tls = { urls: 'turns:10.0.0.1:5349', username: 'u', credential: 'p', kmsTurnUrl: 'u:p@10.0.0.1:5349?transport=tls', transport: 'tls' as const, source: 'panel' as const };
  for (const turn of [udp, tls]) {
    for (const params of [{ transport: 'udp', credentials: 'right' }, { transport: 'tcp', credentials: 'right' }, { transport: 'udp', credentials: 'wrong' }]) {
      const settings: LabSettings = { kmsUrl: 'ws://127.0.0.1:8888/kurento', iceServers: [], siteOrigin: 'http://127.0.0.1:3000', turn };
      const page: Record<string, unknown> = { document: { getElementById: () => null } };
      vm.createContext(page);
      vm.runInContext(settingsCode({ ws_uri: settings.kmsUrl, iceServers: [], params, extra: turnRelay.settingsVars?.(settings) ?? {} }, { settings: 's', params: 'p' }), page);
      vm.runInContext(program.declarations.code, page);
      const expected = labTurn(turn, params);
      assert.deepEqual(
        { ...(page.browserTurn as object), kmsTurnUrl: page.kmsTurnUrl },
        { urls: expected.urls, username: expected.username, credential: expected.credential, kmsTurnUrl: expected.kmsTurnUrl },
        `${turn.urls} ${JSON.stringify(params)}`,
      );
    }
  }
});

// 3. The candidate table's parser ------------------------------------------------------------------------------------

describe('candidate parser', () => {
  test('host, srflx, relay and tcp candidates', () => {
    assert.deepEqual(parseCandidate('candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 192.168.1.20 rport 46154 generation 0 ufrag sXJ3 network-cost 999'), {
      foundation: '842163049',
      component: 1,
      protocol: 'udp',
      priority: 1677729535,
      address: '203.0.113.7',
      port: 46154,
      type: 'srflx',
      relatedAddress: '192.168.1.20',
      relatedPort: 46154,
      tcpType: undefined,
    });
    const relay = parseCandidate('a=candidate:ba04efb4 1 UDP 16777215 127.0.0.1 49160 typ relay raddr 127.0.0.1 rport 45017 generation 0');
    assert.equal(relay?.type, 'relay');
    assert.equal(relay?.protocol, 'udp');
    assert.equal(relay?.relatedPort, 45017);
    const tcp = parseCandidate('candidate:1 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active generation 0');
    assert.equal(tcp?.protocol, 'tcp');
    assert.equal(tcp?.tcpType, 'active');
    assert.equal(tcp?.relatedAddress, undefined);
    const mdns = parseCandidate('candidate:2 1 udp 2122260223 4a2b3c4d-1111-2222-3333-444455556666.local 54321 typ host generation 0');
    assert.equal(mdns?.address, '4a2b3c4d-1111-2222-3333-444455556666.local');
    assert.equal(parseCandidate(''), undefined);
    assert.equal(parseCandidate('not a candidate'), undefined);
  });

  test('rows from the recorded events, both sides, errors apart', () => {
    const events: LabEvent[] = [
      { t: 10, lane: 'browser', source: 'gather', type: 'icecandidate', data: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host', type: 'host', url: undefined } },
      { t: 20, lane: 'browser', source: 'gather', type: 'icecandidate', data: { candidate: 'candidate:2 1 udp 41885439 127.0.0.1 49170 typ relay raddr 127.0.0.1 rport 5000', type: 'relay', url: 'turn:127.0.0.1:3478?transport=udp' } },
      { t: 30, lane: 'kms', source: 'kmsGather', type: 'IceCandidateFound', data: { candidate: { candidate: 'candidate:3 1 udp 16777215 127.0.0.1 49171 typ relay raddr 127.0.0.1 rport 6000', sdpMid: '0', sdpMLineIndex: 0 } } },
      { t: 31, lane: 'kms', source: 'kmsGather', type: 'IceCandidateFound', data: { candidate: { candidate: 'candidate:3 1 udp 16777215 127.0.0.1 49171 typ relay raddr 127.0.0.1 rport 6000', sdpMid: '1', sdpMLineIndex: 1 } } },
      { t: 40, lane: 'browser', source: 'gather', type: 'icecandidateerror', data: { errorCode: 401, errorText: 'Unauthorized', url: 'turn:127.0.0.1:3478?transport=udp' } },
      { t: 50, lane: 'kms', source: 'kmsGather', type: 'IceGatheringDone', data: {} },
    ];
    const { rows, errors } = candidateRows(events);
    assert.deepEqual(
      rows.map((row) => `${row.side} ${row.candidate.type} ${row.candidate.port}`),
      ['browser host 5000', 'browser relay 49170', 'kms relay 49171'],
      'KMS repeats each candidate per m-line; the table shows it once',
    );
    assert.equal(rows[1]?.url, 'turn:127.0.0.1:3478?transport=udp');
    assert.deepEqual(errors, [{ t: 40, source: 'gather', errorCode: 401, errorText: 'Unauthorized', url: 'turn:127.0.0.1:3478?transport=udp', count: 1 }]);
  });
});

// 4. The coturn configuration form ------------------------------------------------------------------------------------

describe('coturn configuration form', () => {
  const form = (values: Partial<CoturnFormValues>): CoturnFormValues => ({ ...DEFAULT_COTURN_FORM, ...values });

  test('MD5 (RFC 1321 test vectors) and the turnadmin -k key', () => {
    for (const text of ['', 'a', 'abc', 'message digest', 'abcdefghijklmnopqrstuvwxyz', '1234567890'.repeat(8), '用户:领域:密码']) {
      assert.equal(md5Hex(text), createHash('md5').update(text, 'utf8').digest('hex'), `md5(${JSON.stringify(text)})`);
    }
    assert.equal(coturnKey('yb', 'kurento.org', '1'), '0x0b20b9e0a71d037530c35850514a3d81');
  });

  test('the four outputs follow the fields', () => {
    const values = form({ relayIp: '10.0.0.5', externalIp: '203.0.113.10', realm: 'kurento.org', user: 'yb', password: '1', listeningPort: '3478', minPort: '49152', maxPort: '65535' });
    assert.deepEqual(validateCoturnForm(values), []);
    const out = renderCoturnOutputs(values);
    const conf = out.turnserverConf.split('\n');
    for (const line of ['listening-port=3478', 'relay-ip=10.0.0.5', 'external-ip=203.0.113.10', 'fingerprint', 'lt-cred-mech', 'realm=kurento.org', 'user=yb:1', 'min-port=49152', 'max-port=65535', 'no-stdout-log']) {
      assert.ok(conf.includes(line), `/etc/turnserver.conf has ${line}`);
    }
    assert.equal(out.kmsIni, 'turnURL=yb:1@203.0.113.10:3478?transport=udp');
    assert.equal(out.defaultCoturn, 'TURNSERVER_ENABLED=1');
    assert.match(out.turnadmin, /^sudo turnadmin -a -u yb -p 1 -r kurento\.org$/m);
    assert.match(out.turnadmin, /^sudo turnadmin -k -u yb -p 1 -r kurento\.org$/m);
    assert.equal(out.key, '0x0b20b9e0a71d037530c35850514a3d81');

    const plain = renderCoturnOutputs(form({ relayIp: '10.0.0.5', externalIp: '', fingerprint: false, ltCredMech: false, noStdoutLog: false, user: 'yb', password: '1', realm: 'kurento.org' }));
    assert.equal(plain.kmsIni, 'turnURL=yb:1@10.0.0.5:3478?transport=udp', 'without external-ip KMS uses the relay address');
    assert.ok(!plain.turnserverConf.split('\n').includes('fingerprint'));
    assert.ok(!plain.turnserverConf.split('\n').includes('no-stdout-log'));
  });

  test('IPv4 fields take addresses, not names; ports are checked', () => {
    const codes = (values: Partial<CoturnFormValues>): string[] => validateCoturnForm(form(values)).map((issue) => `${issue.field}:${issue.code}`);
    assert.deepEqual(codes({ relayIp: 'turn.example.com' }), ['relayIp:ipv4.hostname']);
    assert.deepEqual(codes({ externalIp: '256.1.1.1' }), ['externalIp:ipv4.invalid']);
    assert.deepEqual(codes({ externalIp: '2001:db8::1' }), ['externalIp:ipv4.ipv6']);
    assert.deepEqual(codes({ listeningPort: '70000' }), ['listeningPort:port.invalid']);
    assert.deepEqual(codes({ minPort: '50000', maxPort: '40000' }), ['maxPort:ports.order']);
    assert.deepEqual(codes({ password: 'a:b' }), ['password:credentials.separator']);
    assert.ok(codes({ user: '' }).includes('user:required'));
    const broken = renderCoturnOutputs(form({ relayIp: 'turn.example.com' }));
    assert.ok(!broken.turnserverConf.includes('turn.example.com'), 'fields with errors are left out');
  });
});
