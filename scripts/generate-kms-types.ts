/**
 * Generates server/kms/objects/kmd-types.generated.ts, the compiler's view of the KMD for the embedded KMS's object
 * classes (the client-side view is scripts/generate-kurento-types.ts, from the same KMD files):
 *
 * - `KmsEventFields`: per event, the fields an object supplies when it raises it (the RaiseBase and Media members —
 *   source, timestampMillis, tags, type — are added by MediaObject.raise; `Error` keeps its own `type`).
 * - `<Class>Events`: per remote class, the events it may raise (own and inherited), mediasoup-style event maps that
 *   the object classes take as their type parameter, so that `raise('X', {...})` with an event the class does not
 *   have, or a field the event does not have, fails to compile.
 * - `KmsConstructorParams`: per creatable class, its constructor parameters as the server receives them after the
 *   KMD check (defaults filled in, remote objects resolved), and `KMD_CLASS_MODULE`, the module of each.
 * - enums as string unions and REGISTER types as interfaces, for the types these reach.
 *
 *   npx tsx scripts/generate-kms-types.ts           write the file
 *   npx tsx scripts/generate-kms-types.ts --check   exit 1 if the committed file is not up to date
 */
import { isExecutedDirectly, writeOrCheck } from './generated-file';
import path from 'node:path';
import { REPO_ROOT, readKmdModules, type KmdComplexType, type KmdEvent, type KmdModule, type KmdParam, type KmdRemoteClass } from './generate-kurento-types';

export const KMS_TYPES_FILE = path.join(REPO_ROOT, 'server/kms/objects/kmd-types.generated.ts');

/** Members that MediaObject.raise adds to every event (RaiseBase and Media). */
const RAISE_MEMBERS_OF: Readonly<Record<string, true>> = { RaiseBase: true, Media: true };

const PRIMITIVES: Readonly<Record<string, string>> = { String: 'string', boolean: 'boolean', int: 'number', int64: 'number', float: 'number', double: 'number' };

interface Model {
  classes: Map<string, KmdRemoteClass & { module: string }>;
  events: Map<string, KmdEvent>;
  types: Map<string, KmdComplexType>;
}

function modelOf(modules: KmdModule[]): Model {
  const model: Model = { classes: new Map(), events: new Map(), types: new Map() };
  for (const module of modules) {
    for (const cls of module.remoteClasses) model.classes.set(cls.name, { ...cls, module: module.name });
    for (const event of module.events) model.events.set(event.name, event);
    for (const type of module.complexTypes) model.types.set(type.name, type);
  }
  return model;
}

/**
 * A KMD type as the server handles it. `objects`: remote objects are the server's object classes (constructor
 * parameters, resolved by the KMD check); otherwise they are ids (event fields, as on the wire).
 */
function tsType(type: string, objects: boolean, model: Model, used: Set<string>, imports: Set<string>): string {
  if (type.endsWith('[]')) return `${tsType(type.slice(0, -2), objects, model, used, imports)}[]`;
  if (type.endsWith('<>')) return `Record<string, ${tsType(type.slice(0, -2), objects, model, used, imports)}>`;
  const primitive = PRIMITIVES[type];
  if (primitive) return primitive;
  if (model.types.has(type)) {
    used.add(type);
    return type;
  }
  if (model.classes.has(type)) {
    if (!objects) return 'string';
    imports.add(type);
    return type;
  }
  throw new Error(`unknown KMD type ${type}`);
}

function ownConstructor(cls: KmdRemoteClass): { params?: KmdParam[] } | undefined {
  return Object.hasOwn(cls, 'constructor') ? cls.constructor : undefined;
}

function eventChain(name: string, model: Model): KmdEvent[] {
  const chain: KmdEvent[] = [];
  for (let event = model.events.get(name); event; event = event.extends ? model.events.get(event.extends) : undefined) chain.unshift(event);
  return chain;
}

function field(param: KmdParam, type: string, optional: boolean): string {
  const key = /^[A-Za-z_$][\w$]*$/.test(param.name) ? param.name : JSON.stringify(param.name);
  return `  ${key}${optional ? '?' : ''}: ${type};`;
}

export function generateKmsTypes(modules: KmdModule[] = readKmdModules()): string {
  const model = modelOf(modules);
  const used = new Set<string>();
  const imports = new Set<string>();
  const out: string[] = [];

  // Events: the fields a raiser supplies.
  const eventNames = [...model.events.keys()].filter((name) => !RAISE_MEMBERS_OF[name]).sort();
  out.push('/** Per event, the fields the raising object supplies (MediaObject.raise adds source, timestampMillis, tags and type). */');
  out.push('export interface KmsEventFields {');
  for (const name of eventNames) {
    const params = eventChain(name, model)
      .filter((event) => !RAISE_MEMBERS_OF[event.name])
      .flatMap((event) => event.properties ?? []);
    if (params.length === 0) {
      out.push(`  ${name}: Record<never, never>;`);
      continue;
    }
    out.push(`  ${name}: {`);
    for (const param of params) out.push(`  ${field(param, tsType(param.type, false, model, used, imports), param.optional === true)}`);
    out.push('  };');
  }
  out.push('}', '', 'export type KmsEventName = keyof KmsEventFields;', '');

  // Event maps per class, in hierarchy order (a parent before its children).
  const ordered: Array<KmdRemoteClass & { module: string }> = [];
  const visit = (cls: KmdRemoteClass & { module: string }): void => {
    if (ordered.includes(cls)) return;
    const parent = cls.extends ? model.classes.get(cls.extends) : undefined;
    if (parent) visit(parent);
    ordered.push(cls);
  };
  for (const cls of [...model.classes.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(cls);
  for (const cls of ordered) {
    const heading = `export interface ${cls.name}Events${cls.extends ? ` extends ${cls.extends}Events` : ''}`;
    const own = cls.events ?? [];
    out.push(`/** Events a ${cls.name} raises${cls.extends ? `: those of ${cls.extends}` : ''}${own.length ? `${cls.extends ? ' and' : ':'} ${own.join(', ')}` : ''}. */`);
    if (own.length === 0) {
      out.push(`${heading} {}`, '');
      continue;
    }
    out.push(`${heading} {`);
    for (const event of own) out.push(`  ${event}: KmsEventFields['${event}'];`);
    out.push('}', '');
  }

  // Constructor parameters of the creatable classes.
  const creatable = ordered.filter((cls) => !cls.abstract && ownConstructor(cls)).sort((a, b) => (a.name < b.name ? -1 : 1));
  out.push('/**');
  out.push(' * Per creatable class, its constructor parameters after the KMD check: parameters with a default are always there,');
  out.push(' * remote objects are the server objects they name.');
  out.push(' */');
  out.push('export interface KmsConstructorParams {');
  for (const cls of creatable) {
    const params = ownConstructor(cls)?.params ?? [];
    if (params.length === 0) {
      out.push(`  ${cls.name}: Record<never, never>;`);
      continue;
    }
    out.push(`  ${cls.name}: {`);
    for (const param of params) {
      const optional = param.optional === true && param.defaultValue === undefined;
      out.push(`  ${field(param, tsType(param.type, true, model, used, imports), optional)}`);
    }
    out.push('  };');
  }
  out.push('}', '', 'export type KmsCreatableClass = keyof KmsConstructorParams;', '');
  out.push('/** The KMD module each creatable class comes from (getInfo lists factories by module). */');
  out.push('export const KMD_CLASS_MODULE = {');
  for (const cls of creatable) out.push(`  ${cls.name}: '${cls.module}',`);
  out.push('} as const satisfies Record<KmsCreatableClass, string>;', '');

  // Complex types reached above (and those they reach).
  const emitted = new Set<string>();
  const typeLines: string[] = [];
  const pending = [...used];
  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (emitted.has(name)) continue;
    emitted.add(name);
    const type = model.types.get(name);
    if (!type) continue;
    if (type.typeFormat === 'ENUM') {
      typeLines.push(`export type ${name} = ${(type.values ?? []).map((value) => `'${value}'`).join(' | ')};`, '');
      continue;
    }
    const before = new Set(used);
    const chain: KmdComplexType[] = [];
    for (let current: KmdComplexType | undefined = type; current; current = current.extends ? model.types.get(current.extends) : undefined) chain.unshift(current);
    typeLines.push(`export interface ${name} {`, '  __module__?: string;', '  __type__?: string;');
    for (const param of chain.flatMap((item) => item.properties ?? [])) {
      typeLines.push(field(param, tsType(param.type, false, model, used, imports), param.optional === true));
    }
    typeLines.push('}', '');
    for (const added of used) if (!before.has(added)) pending.push(added);
  }
  // Keep the type section sorted, so that the output does not depend on discovery order.
  const blocks: string[][] = [];
  let block: string[] = [];
  for (const line of typeLines) {
    block.push(line);
    if (line === '') {
      blocks.push(block);
      block = [];
    }
  }
  const nameOf = (lines: string[]): string => /^export (?:type|interface) (\w+)/.exec(lines[0] ?? '')?.[1] ?? '';
  blocks.sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1));

  const header = [
    '// Generated by scripts/generate-kms-types.ts from the KMD files of kurento-client-{core,elements,filters}. Do not edit:',
    '// run `npx tsx scripts/generate-kms-types.ts` (tests/unit/kms-types.test.ts checks that this file is up to date).',
    '/* eslint-disable @typescript-eslint/no-empty-object-type */',
    ...[...imports].sort().map((name) => `import type { ${name} } from './${name}';`),
    '',
  ];
  return `${[...header, ...blocks.flat(), ...out].join('\n').trimEnd()}\n`;
}

if (isExecutedDirectly(__filename)) writeOrCheck(KMS_TYPES_FILE, generateKmsTypes(), 'scripts/generate-kms-types.ts');
