/**
 * The KMS pool of a workshop: the assignment rule, and two embedded KMS in this process polled with kurento-client
 * (ServerManager figures), attendees spread over both and sticky, one stopped (it leaves the pool with a notice, its
 * attendees move, new ones go to the other) and started again (it returns); a group call's members meet on the KMS of
 * the one who opened the room; a page's /kurento socket is forwarded to its KMS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import type { Localized } from '../../core/localized';
import { AppServers } from '../../server/apps';
import { KmsPool, chooseKms, parseKmsList } from '../../server/workshop/kms-pool';
import { RawClient, startKms } from '../helpers/kms';

test('the assignment rule: lowest of attendees + pipelines/2 + CPU%/25 among the KMS in the pool', () => {
  assert.equal(chooseKms([]), undefined);
  assert.equal(chooseKms([{ url: 'a', up: false, attendees: 0 }]), undefined);
  assert.equal(chooseKms([{ url: 'a', up: true, attendees: 1 }, { url: 'b', up: true, attendees: 0 }]), 'b');
  assert.equal(chooseKms([{ url: 'a', up: true, attendees: 0 }, { url: 'b', up: true, attendees: 0 }]), 'a', 'ties: the first');
  assert.equal(chooseKms([{ url: 'a', up: true, attendees: 0, pipelines: 6 }, { url: 'b', up: true, attendees: 2 }]), 'b');
  assert.equal(chooseKms([{ url: 'a', up: true, attendees: 0, cpu: 90 }, { url: 'b', up: true, attendees: 1, cpu: 10 }]), 'b');
  assert.equal(chooseKms([{ url: 'a', up: false, attendees: 0 }, { url: 'b', up: true, attendees: 9 }]), 'b');
  assert.deepEqual(parseKmsList(' ws://a:8888/kurento, ws://b:8888/kurento', ['ws://c/kurento', 'ws://a:8888/kurento']), ['ws://a:8888/kurento', 'ws://b:8888/kurento', 'ws://c/kurento']);
  assert.throws(() => parseKmsList('http://a:8888'), /ws:\/\/ or wss:\/\//);
});

test('two embedded KMS: spread, sticky, one leaves and comes back; group-call members on one KMS; /kurento forwarded', async () => {
  const first = await startKms();
  let second = await startKms();
  const secondPort = second.port;
  const urls = [first.url, second.url];
  const notices: Localized[] = [];
  const pool = new KmsPool({ urls, log: () => undefined, onNotice: (text) => notices.push(text), allowedOrigins: ['http://labs.test'], pollMs: 60_000 });
  const http = createServer((_req, res) => res.writeHead(404).end());
  let apps: AppServers | undefined;
  try {
    await pool.start();
    assert.deepEqual(
      pool.views().map((view) => [view.up, typeof view.cpu, view.pipelines]),
      [
        [true, 'number', 0],
        [true, 'number', 0],
      ],
    );
    // Both KMS sample the same machine's CPU (getUsedCpu) at nearly the same time: attendees decide the spread, and a
    // difference in the CPU samples can move one of them.
    const assigned = ['a', 'b', 'c', 'd'].map((attendee) => pool.assign(attendee));
    for (const url of urls) assert.ok(assigned.filter((value) => value === url).length >= 1, `spread by load: ${assigned.join(', ')}`);
    for (const [index, attendee] of ['a', 'b', 'c', 'd'].entries()) assert.equal(pool.assign(attendee), assigned[index], 'sticky');
    // The room's opener (an attendee of the second KMS) and a joiner of the first.
    const opener = ['a', 'b', 'c', 'd'][assigned.indexOf(urls[1])] ?? assert.fail('nobody on the second KMS');
    const joinerId = ['a', 'b', 'c', 'd'][assigned.indexOf(urls[0])] ?? assert.fail('nobody on the first KMS');

    // The application servers: a room opened by an attendee of the second KMS, joined by one of the first.
    const byHeader = (req: { headers: Record<string, unknown> }): string | undefined => pool.assign(String(req.headers['x-attendee'] ?? ''));
    const servers = new AppServers({ kmsUrl: urls[0] ?? '', log: () => undefined, kmsForRequest: byHeader });
    apps = servers;
    await servers.start();
    http.on('upgrade', (req, socket, head) => {
      const attendee = String(req.headers['x-attendee'] ?? '');
      if (new URL(req.url ?? '/', 'http://x').pathname === '/kurento') pool.handleUpgrade(req, socket, head, attendee, true);
      else if (!servers.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const base = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const join = async (attendee: string, name: string): Promise<WebSocket> => {
      const socket = new WebSocket(`${base}/groupcall`, { headers: { 'x-attendee': attendee } });
      await once(socket, 'open');
      const answered = new Promise<Record<string, unknown>>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>)));
      socket.send(JSON.stringify({ id: 'joinRoom', name, room: 'pool-room' }));
      assert.equal((await answered).id, 'existingParticipants');
      return socket;
    };
    const openerSocket = await join(opener, 'bob');
    const joinerSocket = await join(joinerId, 'alice');
    assert.deepEqual(servers.placements()['/groupcall'], { [urls[1] ?? '']: 2 }, 'both members on the KMS of the one who opened the room');
    await pool.pollNow();
    assert.deepEqual(pool.views().map((view) => view.pipelines), [0, 1]);
    openerSocket.close();
    joinerSocket.close();

    // /kurento through the site: the attendee's own KMS answers.
    const viaSite = await RawClient.connect(`${base}/kurento`, { headers: { 'x-attendee': joinerId } });
    const made = await viaSite.result('create', { type: 'MediaPipeline', constructorParams: {}, properties: {} });
    assert.equal(typeof made.value, 'string');
    viaSite.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await pool.pollNow();
    assert.equal(pool.views()[0]?.pipelines, 1, "the pipeline was made on that attendee's KMS (the first)");

    // The second KMS stops: it leaves the pool, with a notice; its attendees and new ones go to the first.
    await second.stop();
    await pool.pollNow();
    assert.equal(pool.views()[1]?.up, false);
    assert.match(notices.at(-1)?.en ?? '', /does not answer .*left the pool/);
    assert.equal(pool.assign('e'), urls[0]);
    assert.equal(pool.assign(opener), urls[0], 'an attendee of the KMS that left moves');

    // It answers again: back in the pool, and new attendees use it.
    second = await startKms({ port: secondPort });
    await pool.pollNow();
    assert.equal(pool.views()[1]?.up, true);
    assert.match(notices.at(-1)?.en ?? '', /answers again/);
    assert.equal(pool.assign('f'), urls[1]);
  } finally {
    await apps?.stop();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    await pool.stop();
    await first.stop();
    await second.stop();
  }
});
