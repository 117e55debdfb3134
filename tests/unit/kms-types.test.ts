/**
 * The embedded KMS's object model as the compiler sees it (server/kms/objects/kmd-types.generated.ts):
 * - the committed file is exactly what scripts/generate-kms-types.ts makes from the KMD today;
 * - an object raising an event its class does not have, or with a field the event does not have, does not compile;
 * - a factory whose class takes other constructor parameters than the KMD declares does not compile;
 * - getInfo's factory lists are the factory table, and every listed class is in the KMD.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { KMS_TYPES_FILE, generateKmsTypes } from '../../scripts/generate-kms-types';
import { REPO_ROOT } from '../../scripts/generate-kurento-types';
import { FACTORIES, implementedFactories } from '../../server/kms/objects/registry';
import { KMD_CLASS_MODULE } from '../../server/kms/objects/kmd-types.generated';

test('the committed server typings match the KMD (regenerate with npx tsx scripts/generate-kms-types.ts)', () => {
  const expected = generateKmsTypes();
  const actual = readFileSync(KMS_TYPES_FILE, 'utf8');
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const line = e.findIndex((text, index) => a[index] !== text);
  assert.fail(`${path.relative(REPO_ROOT, KMS_TYPES_FILE)} differs at line ${line + 1}: committed ${JSON.stringify(a[line])}, generated ${JSON.stringify(e[line])}`);
});

test('getInfo lists exactly the factory table, by KMD module', () => {
  const listed = implementedFactories();
  const all = Object.values(listed).flat().sort();
  assert.deepEqual(all, Object.keys(FACTORIES).sort());
  for (const [module, names] of Object.entries(listed)) {
    for (const name of names) assert.equal(KMD_CLASS_MODULE[name as keyof typeof KMD_CLASS_MODULE], module, `${name} is listed under ${module}`);
  }
});

const OBJECTS = path.join(REPO_ROOT, 'server/kms/objects');

/** Snippets placed in server/kms/objects (so their imports are the classes' own); each must fail with `message`. */
const BAD: ReadonlyArray<{ name: string; code: string; message: string }> = [
  {
    name: 'an event the class does not raise',
    code: `import { WebRtcEndpoint } from './WebRtcEndpoint';
export class Bad extends WebRtcEndpoint { oops(): void { this.raise('CodeFound', { codeType: 'QR-Code', value: 'x' }); } }`,
    message: 'CodeFound',
  },
  {
    name: 'a misspelt event',
    code: `import { PlayerEndpoint } from './PlayerEndpoint';
export class Bad extends PlayerEndpoint { oops(): void { this.raise('EndOfStreams'); } }`,
    message: 'EndOfStreams',
  },
  {
    name: 'a field the event does not have',
    code: `import { UriEndpoint } from './UriEndpoint';
export abstract class Bad extends UriEndpoint { oops(): void { this.raise('UriEndpointStateChanged', { state: 'STOP', position: 3 }); } }`,
    message: 'position',
  },
  {
    name: 'a missing field',
    code: `import { MediaElement } from './MediaElement';
export abstract class Bad extends MediaElement { oops(): void { this.raise('MediaFlowInStateChanged', { state: 'FLOWING', mediaType: 'VIDEO' }); } }`,
    message: 'padName',
  },
  {
    name: 'a value outside the enum',
    code: `import { MediaElement } from './MediaElement';
export abstract class Bad extends MediaElement { oops(): void { this.raise('MediaFlowInStateChanged', { state: 'RUNNING', padName: 'default', mediaType: 'VIDEO' }); } }`,
    message: 'RUNNING',
  },
  {
    name: 'a factory whose class wants other constructor parameters',
    code: `import type { ObjectContext, MediaObject } from './MediaObject';
import type { KmsConstructorParams, KmsCreatableClass } from './kmd-types.generated';
import { PassThrough } from './PassThrough';
class Wrong extends PassThrough { constructor(context: ObjectContext, params: { mediaPipeline: KmsConstructorParams['PassThrough']['mediaPipeline']; ratio: number }) { super(context, params); } }
type Table = { [K in KmsCreatableClass]?: (context: ObjectContext, params: KmsConstructorParams[K]) => MediaObject };
export const table: Table = { PassThrough: (context, params) => new Wrong(context, params) };`,
    message: 'ratio',
  },
];

const GOOD = `import { ZBarFilter } from './ZBarFilter';
export class Good extends ZBarFilter { fine(): void { this.raise('CodeFound', { codeType: 'QR-Code', value: 'x' }); this.raise('MediaTranscodingStateChanged', { state: 'TRANSCODING', binName: 'b', mediaType: 'VIDEO' }); } }`;

test('raise() and the factory table are checked against the KMD at compile time', () => {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(REPO_ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  assert.ok(config);
  const virtual = new Map<string, string>([[path.join(OBJECTS, '__good__.ts'), GOOD], ...BAD.map((bad, index): [string, string] => [path.join(OBJECTS, `__bad_${index}__.ts`), bad.code])]);
  const host = ts.createCompilerHost(config.options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(path.resolve(file)) ?? readFile.call(host, file);
  host.getSourceFile = (file, version, onError, create) => {
    const text = virtual.get(path.resolve(file));
    return text !== undefined ? ts.createSourceFile(file, text, version, true) : getSourceFile.call(host, file, version, onError, create);
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options: { ...config.options, noEmit: true }, host });
  const errors = (file: string): string[] =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(errors(path.join(OBJECTS, '__good__.ts')), [], 'a class raising its own events compiles');
  BAD.forEach((bad, index) => {
    const messages = errors(path.join(OBJECTS, `__bad_${index}__.ts`));
    assert.ok(messages.some((message) => message.includes(bad.message)), `${bad.name}: expected an error about ${bad.message}, got ${JSON.stringify(messages)}`);
  });
});
