/**
 * The kurento-client / kurento-utils typings (src/kurento/types):
 * - the generated declaration is exactly what scripts/generate-kurento-types.ts produces from the KMD today;
 * - the generator's class model agrees with the JS that kurento-client 7.3.0 generated from the same KMD;
 * - the declarations compile under strict mode, accept the usual flows and reject wrong usages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import {
  OUTPUT_FILE,
  REPO_ROOT,
  classModels,
  generate,
  readKmdModules,
} from '../../scripts/generate-kurento-types';

const TYPES_DIR = path.join(REPO_ROOT, 'src/kurento/types');
const DECLARATIONS = ['kurento-client.d.ts', 'kurento-client.generated.d.ts', 'kurento-utils.d.ts'].map((file) =>
  path.join(TYPES_DIR, file),
);

test('the committed generated typings match the KMD (regenerate with npx tsx scripts/generate-kurento-types.ts)', () => {
  const expected = generate();
  const actual = readFileSync(OUTPUT_FILE, 'utf8');
  if (actual === expected) return;
  const actualLines = actual.split('\n');
  const expectedLines = expected.split('\n');
  const line = expectedLines.findIndex((text, index) => actualLines[index] !== text);
  const at = line < 0 ? Math.min(actualLines.length, expectedLines.length) : line;
  assert.fail(
    `${path.relative(REPO_ROOT, OUTPUT_FILE)} differs from the generator output at line ${at + 1}:\n` +
      `  committed: ${JSON.stringify(actualLines[at])}\n  generated: ${JSON.stringify(expectedLines[at])}\n` +
      'run: npx tsx scripts/generate-kurento-types.ts',
  );
});

// ---------------------------------------------------------------------------------------------------------------------

const PACKAGES: Readonly<Record<string, string>> = {
  core: 'kurento-client-core',
  elements: 'kurento-client-elements',
  filters: 'kurento-client-filters',
};

/** Members the client templates add on top of the KMD (declared by hand in the generator). */
const TEMPLATE_METHODS: Readonly<Record<string, readonly string[]>> = {
  MediaObject: ['release', 'then', 'catch'],
  Hub: ['createHubPort'],
  MediaPipeline: ['connect'],
};

const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));

function libFile(pkg: string, ...parts: string[]): string {
  return path.join(path.dirname(requireFromRepo.resolve(`${pkg}/package.json`)), 'lib', ...parts);
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

test('the generator model agrees with the JS classes of kurento-client 7.3.0', () => {
  for (const model of classModels()) {
    const pkg = PACKAGES[model.module];
    assert.ok(pkg, `unknown module ${model.module}`);
    const file = [libFile(pkg, `${model.name}.js`), libFile(pkg, 'abstracts', `${model.name}.js`)].find(existsSync);
    assert.ok(file, `no JS class for ${model.name}`);
    assert.equal(file.includes(`${path.sep}abstracts${path.sep}`), model.abstract, `${model.name}: abstract flag`);
    const source = readFileSync(file, 'utf8');

    const jsMethods = new Set([...source.matchAll(new RegExp(`^${model.name}\\.prototype\\.(\\w+) = function`, 'gm'))].map((m) => m[1]!));
    const expectedMethods = new Set([...model.methods, ...(TEMPLATE_METHODS[model.name] ?? [])]);
    assert.deepEqual(sorted(jsMethods), sorted(expectedMethods), `${model.name}: methods`);

    const events = /^\w+\.events = (?:\w+\.events(?:\.concat\(\[([^\]]*)\]\))?|\[([^\]]*)\]);/m.exec(source);
    assert.ok(events, `${model.name}: events list not found`);
    const ownEvents = [...(events[1] ?? events[2] ?? '').matchAll(/'(\w+)'/g)].map((m) => m[1]!);
    assert.deepEqual(sorted(ownEvents), sorted(model.events), `${model.name}: events`);

    const block = new RegExp(`^${model.name}\\.constructorParams = \\{([^]*?)^\\};`, 'm').exec(source);
    assert.ok(block, `${model.name}: constructorParams not found`);
    const jsParams = [...block[1]!.matchAll(/^ {2}(\w+): \{/gm)].map((m) => m[1]!);
    assert.deepEqual(sorted(jsParams), sorted(model.constructorParams ?? []), `${model.name}: constructor params`);
  }
});

test('REGISTER complex types have client constructors, ENUMs are plain checkers', () => {
  for (const module of readKmdModules()) {
    const pkg = PACKAGES[module.name]!;
    for (const type of module.complexTypes) {
      const source = readFileSync(libFile(pkg, 'complexTypes', `${type.name}.js`), 'utf8');
      const constructible = source.includes(`${type.name}.check = `);
      assert.equal(constructible, type.typeFormat === 'REGISTER', `${type.name} (${type.typeFormat})`);
    }
  }
});

// ---------------------------------------------------------------------------------------------------------------------
// Compilation checks

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  esModuleInterop: true,
  isolatedModules: true,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: [],
  allowJs: true,
  checkJs: true,
  noEmit: true,
  skipLibCheck: false,
  skipDefaultLibCheck: true,
};

const GOOD = `
import kurentoClient from 'kurento-client';
import type { ElementConnected, HubPort, IceCandidateFound, PlayerEndpoint, ServerManager, WebRtcEndpoint } from 'kurento-client';
import kurentoUtils from 'kurento-utils';

export async function helloWorld(offer: string): Promise<string> {
  const client = await kurentoClient('ws://127.0.0.1:8888/kurento', {
    failAfter: 2,
    socket: { onFrame: (direction, data) => console.log(direction === 'in', data.length) },
  });
  client.on('reconnected', (sameSession) => console.log(sameSession === true));
  const pipeline = await client.create('MediaPipeline');
  const endpoint: WebRtcEndpoint = await pipeline.create('WebRtcEndpoint', { recvonly: false, qosDscp: 'AF41' });
  endpoint.on('IceCandidateFound', (e) => e.candidate.candidate);
  endpoint.on('IceCandidateFound', (e: IceCandidateFound) => [e.type === 'IceCandidateFound', e.source, e.timestampMillis, e.tags]);
  endpoint.once('ElementConnected', (e: ElementConnected) => e.sink.startsWith(e.source));
  endpoint.on('Error', (e) => e.errorCode + e.description.length);
  endpoint.on('release', () => undefined);
  const answer: string = await endpoint.processOffer(offer);
  endpoint.processOffer(offer, (error, sdp) => { if (!error) console.log(sdp.length); });
  await endpoint.gatherCandidates();
  await endpoint.connect(endpoint, 'VIDEO');
  await endpoint.connect([endpoint, endpoint]);
  const stats = await endpoint.getStats('VIDEO');
  Object.values(stats).map((s) => s.timestampMillis + s.id.length);
  await endpoint.getStats((error, all) => all);
  const player: PlayerEndpoint = await pipeline.create('PlayerEndpoint', { uri: 'file:///tmp/a.webm' });
  const composite = await pipeline.create('Composite', { width: 640 });
  const port: HubPort = await composite.createHubPort();
  await pipeline.connect(player, port, endpoint);
  const owner = await endpoint.getMediaPipeline();
  const children = await owner.getChildren();
  children.map((child) => child.id);
  const manager: ServerManager = await client.getServerManager();
  const info = await manager.getInfo();
  info.modules.map((m) => m.name);
  const pipelines = await manager.getPipelines();
  await pipelines[0]?.release();
  const candidate = kurentoClient.getComplexType('kurento.IceCandidate')({ candidate: 'c', sdpMid: '0', sdpMLineIndex: 0 });
  console.log(candidate.__type__.length);
  await endpoint.addIceCandidate(candidate);
  await pipeline.release();
  client.close();

  const peer = new kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({ configuration: { iceServers: [] } }, function (error) {
    if (!error) this.generateOffer((offerError, sdpOffer) => console.log(offerError ?? sdpOffer.length));
  });
  kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv(function (error) { if (error) this.dispose(); });
  peer.processAnswer(answer);
  peer.on('icecandidate', (c) => console.log(c.candidate));
  peer.audioEnabled = false;
  return answer;
}
`;

const GOOD_JS = `
const kurentoClient = require('kurento-client');
kurentoClient('ws://127.0.0.1:8888/kurento').then((client) => client.create('MediaPipeline')).then((pipeline) => pipeline.release());
module.exports = {};
`;

/** Wrong usages: each snippet must fail to compile with a message containing the given text. */
const BAD: ReadonlyArray<{ name: string; code: string; message: string }> = [
  { name: '6.x event name', code: `endpoint.on('IceComponentStateChange', () => undefined);`, message: 'IceComponentStateChange' },
  { name: '6.x OnIceCandidate', code: `endpoint.on('OnIceCandidate', () => undefined);`, message: 'OnIceCandidate' },
  { name: 'processOffer(number)', code: `void endpoint.processOffer(123);`, message: 'number' },
  { name: 'unknown payload field', code: `endpoint.on('IceCandidateFound', (e) => e.candidate.foo);`, message: 'foo' },
  { name: 'event ids are strings', code: `endpoint.on('ElementConnected', (e) => e.sink.release());`, message: 'release' },
  { name: 'bad enum', code: `void endpoint.connect(endpoint, 'SCREEN');`, message: 'SCREEN' },
  { name: 'no setter for read-only', code: `void endpoint.setMediaState('CONNECTED');`, message: 'setMediaState' },
  { name: 'no setter for final', code: `void player.setUri('file:///x');`, message: 'setUri' },
  { name: 'abstract class', code: `void pipeline.create('SdpEndpoint');`, message: 'SdpEndpoint' },
  { name: 'missing required ctor param', code: `void pipeline.create('PlayerEndpoint');`, message: 'Expected' },
  { name: 'wrong ctor param type', code: `void pipeline.create('WebRtcEndpoint', { recvonly: 'yes' });`, message: 'string' },
  { name: 'unknown ctor param', code: `void pipeline.create('WebRtcEndpoint', { useIpv6: true });`, message: 'useIpv6' },
  { name: 'bad client option', code: `void kurentoClient('ws://x', { failAfter: '2' });`, message: 'string' },
  { name: 'enum is no complex type', code: `kurentoClient.getComplexType('MediaType');`, message: 'MediaType' },
  { name: 'peer processOffer needs callback', code: `peer.processOffer('v=0');`, message: 'Expected 2 arguments' },
  { name: 'bad RTCConfiguration', code: `kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({ configuration: { iceServers: 'x' } });`, message: 'string' },
  { name: 'unknown peer event', code: `peer.on('track', () => undefined);`, message: 'track' },
];

const BAD_PRELUDE = `
import kurentoClient from 'kurento-client';
import type { MediaPipeline, PlayerEndpoint, WebRtcEndpoint } from 'kurento-client';
import kurentoUtils from 'kurento-utils';
import type { WebRtcPeer } from 'kurento-utils';
declare const pipeline: MediaPipeline;
declare const endpoint: WebRtcEndpoint;
declare const player: PlayerEndpoint;
declare const peer: WebRtcPeer;
void kurentoClient; void kurentoUtils; void pipeline; void endpoint; void player; void peer;
`;

const BAD_JS = `
const kurentoClient = require('kurento-client');
kurentoClient('ws://127.0.0.1:8888/kurento').then((client) => client.create('Nope'));
module.exports = {};
`;

test('the typings compile under strict mode, accept the hello-world flow and reject wrong usages', () => {
  const virtualDir = path.join(REPO_ROOT, '__kurento_typings_check__');
  const virtual = new Map<string, string>([
    [path.join(virtualDir, 'good.ts'), GOOD],
    [path.join(virtualDir, 'good.js'), GOOD_JS],
    [path.join(virtualDir, 'bad-js.js'), BAD_JS],
    ...BAD.map((bad, index): [string, string] => [path.join(virtualDir, `bad-${index}.ts`), `${BAD_PRELUDE}\n${bad.code}\n`]),
  ]);

  const host = ts.createCompilerHost(COMPILER_OPTIONS, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(path.resolve(file)) ?? readFile.call(host, file);
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(path.resolve(file));
    if (text !== undefined) return ts.createSourceFile(file, text, languageVersion, true);
    return getSourceFile.call(host, file, languageVersion, onError, shouldCreate);
  };

  const program = ts.createProgram({ rootNames: [...DECLARATIONS, ...virtual.keys()], options: COMPILER_OPTIONS, host });
  const byFile = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file ? path.resolve(diagnostic.file.fileName) : '(global)';
    const list = byFile.get(file) ?? [];
    list.push(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    byFile.set(file, list);
  }
  const errorsOf = (file: string): string[] => byFile.get(path.resolve(file)) ?? [];

  const unexpected = [...byFile].filter(([file]) => !path.basename(file).startsWith('bad-'));
  assert.deepEqual(
    unexpected.map(([file, messages]) => `${path.relative(REPO_ROOT, file)}: ${messages.join(' | ')}`),
    [],
    'declarations and good usages must compile cleanly',
  );

  BAD.forEach((bad, index) => {
    const messages = errorsOf(path.join(virtualDir, `bad-${index}.ts`));
    assert.ok(messages.length > 0, `expected a type error for "${bad.name}": ${bad.code}`);
    assert.ok(
      messages.some((message) => message.includes(bad.message)),
      `"${bad.name}": expected an error mentioning ${JSON.stringify(bad.message)}, got: ${messages.join(' | ')}`,
    );
  });
  const jsMessages = errorsOf(path.join(virtualDir, 'bad-js.js'));
  assert.ok(jsMessages.some((message) => message.includes('Nope')), `require() typing in JS: ${jsMessages.join(' | ')}`);
});
