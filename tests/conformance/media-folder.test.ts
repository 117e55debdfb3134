/**
 * The media folder cannot be left through symbolic links: a link (to a file or to a folder) inside the media directory,
 * made before or after the element is created, neither lets a PlayerEndpoint read an outside file nor lets a
 * RecorderEndpoint create or truncate one. A link that stays inside works.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KmsServer } from '../../server/kms/server';
import { RawClient, startKms } from '../helpers/kms';

const SAMPLE = path.resolve(__dirname, '..', '..', 'static', 'media', 'kurento-labs-sample.webm');
const VICTIM_TEXT = 'a file outside the media folder: nothing may read or truncate it\n';

let kms: KmsServer;
let client: RawClient;
let base: string;
let media: string;
let outside: string;

before(async () => {
  base = mkdtempSync(path.join(os.tmpdir(), 'kurento-labs-confine-'));
  media = path.join(base, 'media');
  outside = path.join(base, 'outside');
  mkdirSync(media);
  mkdirSync(outside);
  copyFileSync(SAMPLE, path.join(media, 'clip.webm'));
  copyFileSync(SAMPLE, path.join(outside, 'secret.webm'));
  writeFileSync(path.join(outside, 'victim.webm'), VICTIM_TEXT);
  kms = await startKms({ mediaDirectory: media });
  client = await RawClient.connect(kms.url);
});

after(async () => {
  client.close();
  await kms.stop();
  rmSync(base, { recursive: true, force: true });
});

async function pipeline(): Promise<string> {
  return String((await client.result('create', { type: 'MediaPipeline' })).value);
}

async function createError(type: string, constructorParams: Record<string, unknown>): Promise<{ code?: number; message?: string }> {
  const reply = await client.call('create', { type, constructorParams });
  return reply.error ?? {};
}

/** Subscribes to the element's Error events and returns the first one that comes within `ms`. */
async function nextError(element: string, run: () => Promise<unknown>, ms = 6000): Promise<Record<string, unknown> | undefined> {
  await client.result('subscribe', { object: element, type: 'Error' });
  client.events.length = 0;
  await run();
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const error = client.events.find((event) => event.params?.value.type === 'Error' && event.params.value.object === element);
    if (error) return error.params?.value.data;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

test('a player refuses a link to an outside file or folder, whether it exists at creation or appears later', async () => {
  symlinkSync(path.join(outside, 'secret.webm'), path.join(media, 'link.webm'));
  symlinkSync(outside, path.join(media, 'folder'));
  const mediaPipeline = await pipeline();
  for (const uri of [`file://${media}/link.webm`, `file://${media}/folder/secret.webm`]) {
    const error = await createError('PlayerEndpoint', { mediaPipeline, uri });
    assert.equal(error.code, 40107, uri);
    assert.match(String(error.message), /leads out of the media directory through a symbolic link/);
  }
  // Created while the name is free, linked afterwards: play() opens it by its real path and refuses.
  const player = String((await client.result('create', { type: 'PlayerEndpoint', constructorParams: { mediaPipeline, uri: `file://${media}/late.webm` } })).value);
  symlinkSync(path.join(outside, 'secret.webm'), path.join(media, 'late.webm'));
  const error = await nextError(player, () => client.result('invoke', { object: player, operation: 'play' }));
  assert.equal(error?.type, 'RESOURCE_ERROR_OPEN');
  assert.match(String(error?.description), /leads out of the media directory/);
  const info = await client.call('invoke', { object: player, operation: 'getVideoInfo' });
  assert.equal(info.error?.code, 40600, 'getVideoInfo reads nothing outside either');
  await client.result('release', { object: mediaPipeline });
});

test('a link that stays inside the media folder plays', async () => {
  symlinkSync(path.join(media, 'clip.webm'), path.join(media, 'alias.webm'));
  const mediaPipeline = await pipeline();
  const player = String((await client.result('create', { type: 'PlayerEndpoint', constructorParams: { mediaPipeline, uri: `file://${media}/alias.webm` } })).value);
  const info = (await client.result('invoke', { object: player, operation: 'getVideoInfo' })).value as { duration: number };
  assert.ok(info.duration > 10000, `duration ${info.duration}`);
  await client.result('release', { object: mediaPipeline });
});

test('a recorder refuses to write through a link, and an outside file is neither created nor truncated', async () => {
  symlinkSync(outside, path.join(media, 'out'));
  symlinkSync(path.join(outside, 'victim.webm'), path.join(media, 'victim.webm'));
  symlinkSync(path.join(outside, 'new.webm'), path.join(media, 'dangling.webm'));
  const mediaPipeline = await pipeline();
  for (const uri of [`file://${media}/out/rec.webm`, `file://${media}/out/sub/rec.webm`, `file://${media}/victim.webm`, `file://${media}/dangling.webm`]) {
    const error = await createError('RecorderEndpoint', { mediaPipeline, uri, mediaProfile: 'WEBM' });
    assert.equal(error.code, 40107, uri);
  }
  assert.equal(existsSync(path.join(outside, 'sub')), false, 'no folder made outside');

  // Names free at creation, links made before record(): the recorder reports an Error and writes nothing outside.
  const player = String((await client.result('create', { type: 'PlayerEndpoint', constructorParams: { mediaPipeline, uri: `file://${media}/clip.webm` } })).value);
  const late = [
    { uri: `file://${media}/later.webm`, link: () => symlinkSync(path.join(outside, 'victim.webm'), path.join(media, 'later.webm')) },
    { uri: `file://${media}/later-folder/rec.webm`, link: () => symlinkSync(outside, path.join(media, 'later-folder')) },
  ];
  for (const { uri, link } of late) {
    const recorder = String((await client.result('create', { type: 'RecorderEndpoint', constructorParams: { mediaPipeline, uri, mediaProfile: 'WEBM' } })).value);
    await client.result('invoke', { object: player, operation: 'connect', operationParams: { sink: recorder } });
    link();
    const error = await nextError(recorder, async () => {
      await client.result('invoke', { object: player, operation: 'play' });
      await client.result('invoke', { object: recorder, operation: 'record' });
    });
    assert.equal(error?.type, 'RESOURCE_ERROR_OPEN', uri);
    assert.match(String(error?.description), /symbolic link/);
  }
  assert.equal(readFileSync(path.join(outside, 'victim.webm'), 'utf8'), VICTIM_TEXT, 'the outside file is untouched');
  assert.deepEqual(readdirSync(outside).sort(), ['secret.webm', 'victim.webm'], 'nothing new outside');
  await client.result('release', { object: mediaPipeline });
});
