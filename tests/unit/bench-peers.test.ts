import { test } from 'node:test';
import assert from 'node:assert/strict';
import { janusConfiguration } from '../../bench/janus';
import { peersSummary, type PeersSideResult } from '../../bench/peers';

const row = (server: 'kms' | 'janus', sessions: number, cpuMicrosPerPacket: number): PeersSideResult => ({
  server, sessions, seconds: 15, serverCpuPercent: 0, cpuMicrosPerPacket, packetsPerSecondOut: 0, returnedPercent: 100, freezes: 0, delivered: true, threads: 1, rssMb: 1, clientCpuPercent: 0,
});

test('peers summary: medians per server and N, and KMS ÷ Janus', () => {
  const rows = [row('kms', 10, 200), row('janus', 10, 80), row('janus', 10, 100), row('kms', 10, 220), row('kms', 30, 150), row('janus', 30, 50)];
  assert.deepEqual(peersSummary(rows), [
    { sessions: 10, kmsMicros: 210, janusMicros: 90, ratio: 2.33, runs: 2 },
    { sessions: 30, kmsMicros: 150, janusMicros: 50, ratio: 3, runs: 1 },
  ]);
  // Without Janus the ratio is not a number, not a pass.
  assert.ok(Number.isNaN(peersSummary([row('kms', 1, 300)])[0]?.ratio));
});

test('the generated Janus configuration is loopback only, echotest and HTTP only', () => {
  const files = janusConfiguration('/tmp/x', 8921, '7200-7299');
  const main = files['janus.jcfg'] ?? '';
  assert.match(main, /interface = "127\.0\.0\.1"/);
  assert.match(main, /ice_enforce_list = "lo"/);
  assert.match(main, /ipv6 = false/);
  assert.match(main, /rtp_port_range = "7200-7299"/);
  assert.doesNotMatch(main, /stun_server|nat_1_1_mapping|turn_server/);
  const disabledPlugins = /plugins: \{\n {2}disable = "([^"]*)"/.exec(main)?.[1] ?? '';
  assert.ok(disabledPlugins.includes('libjanus_videoroom.so') && !disabledPlugins.includes('echotest'));
  const disabledTransports = /transports: \{\n {2}disable = "([^"]*)"/.exec(main)?.[1] ?? '';
  assert.ok(disabledTransports.includes('libjanus_websockets.so') && !disabledTransports.includes('http'));
  const http = files['janus.transport.http.jcfg'] ?? '';
  assert.match(http, /ip = "127\.0\.0\.1"/);
  assert.match(http, /port = 8921/);
  assert.match(http, /admin_http = false/);
});
