/**
 * The Kurento Module Descriptors (KMD) of kurento-client-core, -elements and -filters 7.3: the single source of the
 * class hierarchy, operations, parameters and events the embedded server exposes. Parameters are validated and
 * converted here (KMS answers 40001 MARSHALL_ERROR on bad input; kurento-client 7.3 does not check method arguments).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { KmsError, kmsErrors } from '../errors';
import type { KmsConstructorParams, KmsCreatableClass } from './kmd-types.generated';

export interface KmdParam {
  name: string;
  type: string;
  optional?: boolean;
  defaultValue?: unknown;
}

export interface KmdProperty extends KmdParam {
  readOnly?: boolean;
  final?: boolean;
}

export interface KmdMethod {
  name: string;
  params: KmdParam[];
  return?: { type: string };
}

export interface KmdRemoteClass {
  name: string;
  extends?: string;
  abstract?: boolean;
  constructor?: { params: KmdParam[] };
  properties?: KmdProperty[];
  methods?: KmdMethod[];
  events?: string[];
}

export interface KmdComplexType {
  name: string;
  typeFormat: 'ENUM' | 'REGISTER';
  extends?: string;
  values?: string[];
  properties?: KmdParam[];
}

export interface KmdEvent {
  name: string;
  extends?: string;
  properties?: KmdParam[];
}

interface KmdFile {
  name: string;
  version: string;
  remoteClasses: KmdRemoteClass[];
  complexTypes: KmdComplexType[];
  events: KmdEvent[];
}

export const KMD_MODULES = ['core', 'elements', 'filters'] as const;
export type KmdModuleName = (typeof KMD_MODULES)[number];
/** All three modules are generated into the `kurento` C++ namespace: ids and `__module__` say "kurento". */
export const KMS_MODULE_PREFIX = 'kurento';

/** What an invoke resolved to: a KMD method, or the getter/setter of a KMD property. */
export type Operation =
  | { kind: 'method'; name: string; params: KmdParam[]; returnType: string | undefined; owner: string }
  | { kind: 'getter'; name: string; property: KmdProperty; owner: string }
  | { kind: 'setter'; name: string; property: KmdProperty; owner: string };

/** How the marshaller sees remote objects: by id, with their class hierarchy. */
export interface ObjectResolver {
  resolve(id: string): { id: string; type: string } | undefined;
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

const PRIMITIVES = new Set(['String', 'int', 'int64', 'float', 'double', 'boolean']);

export class KmdRegistry {
  readonly texts = new Map<KmdModuleName, string>();
  readonly versions = new Map<KmdModuleName, string>();
  private readonly classes = new Map<string, KmdRemoteClass & { module: KmdModuleName }>();
  private readonly complexTypes = new Map<string, KmdComplexType>();
  private readonly events = new Map<string, KmdEvent>();

  constructor(files: Map<KmdModuleName, string>) {
    for (const [module, text] of files) {
      const parsed = JSON.parse(text) as KmdFile;
      this.texts.set(module, text);
      this.versions.set(module, parsed.version);
      for (const remoteClass of parsed.remoteClasses) this.classes.set(remoteClass.name, { ...remoteClass, module });
      for (const complexType of parsed.complexTypes) this.complexTypes.set(complexType.name, complexType);
      for (const event of parsed.events) this.events.set(event.name, event);
    }
  }

  /** Reads the KMD files shipped in the kurento-client-{core,elements,filters} npm packages. */
  static fromNodeModules(): KmdRegistry {
    const require = createRequire(__filename);
    const files = new Map<KmdModuleName, string>();
    for (const module of KMD_MODULES) {
      const packageJson = require.resolve(`kurento-client-${module}/package.json`);
      files.set(module, readFileSync(packageJson.replace(/package\.json$/, `src/${module}.kmd.json`), 'utf8'));
    }
    return new KmdRegistry(files);
  }

  hasClass(name: string): boolean {
    return this.classes.has(name);
  }

  getClass(name: string): (KmdRemoteClass & { module: KmdModuleName }) | undefined {
    return this.classes.get(name);
  }

  /** `kurento.WebRtcEndpoint` or `WebRtcEndpoint` → `WebRtcEndpoint` (KMS registers both spellings). */
  unqualify(type: string): string {
    return type.startsWith(`${KMS_MODULE_PREFIX}.`) ? type.slice(KMS_MODULE_PREFIX.length + 1) : type;
  }

  /** Ancestors, nearest first, without the class itself. */
  ancestors(name: string): string[] {
    const result: string[] = [];
    let current = this.classes.get(name)?.extends;
    while (current) {
      result.push(current);
      current = this.classes.get(current)?.extends;
    }
    return result;
  }

  /** The `hierarchy` of a describe answer: `["kurento.SdpEndpoint", …, "kurento.MediaObject"]`. */
  qualifiedHierarchy(name: string): string[] {
    return this.ancestors(name).map((ancestor) => `${KMS_MODULE_PREFIX}.${ancestor}`);
  }

  isA(name: string, base: string): boolean {
    return name === base || this.ancestors(name).includes(base);
  }

  /** Every event a class accepts subscriptions for, inherited ones included. */
  eventsOf(name: string): Set<string> {
    const events = new Set<string>();
    for (const className of [name, ...this.ancestors(name)]) {
      for (const event of this.classes.get(className)?.events ?? []) events.add(event);
    }
    return events;
  }

  constructorParams(name: string): KmdParam[] {
    return this.classes.get(name)?.constructor?.params ?? [];
  }

  /** Every property of a class, inherited ones included (nearest definition wins). */
  propertiesOf(name: string): KmdProperty[] {
    const seen = new Map<string, KmdProperty>();
    for (const className of [name, ...this.ancestors(name)]) {
      for (const property of this.classes.get(className)?.properties ?? []) {
        if (!seen.has(property.name)) seen.set(property.name, property);
      }
    }
    return [...seen.values()];
  }

  /** Resolves `operation` on class `name` the way KMS' generated invoke does: methods first, then get/set<Property>. */
  findOperation(name: string, operation: string): Operation | undefined {
    for (const className of [name, ...this.ancestors(name)]) {
      const remoteClass = this.classes.get(className);
      if (!remoteClass) continue;
      const method = remoteClass.methods?.find((candidate) => candidate.name === operation);
      if (method) {
        return { kind: 'method', name: operation, params: method.params, returnType: method.return?.type, owner: className };
      }
      for (const property of remoteClass.properties ?? []) {
        if (operation === `get${capitalize(property.name)}`) return { kind: 'getter', name: operation, property, owner: className };
        if (operation === `set${capitalize(property.name)}` && !property.readOnly && !property.final) {
          return { kind: 'setter', name: operation, property, owner: className };
        }
      }
    }
    return undefined;
  }

  getEvent(name: string): KmdEvent | undefined {
    return this.events.get(name);
  }

  /** An event's properties, RaiseBase and Media ones included, parents first. */
  eventProperties(name: string): KmdParam[] {
    const chain: KmdEvent[] = [];
    let current = this.events.get(name);
    while (current) {
      chain.unshift(current);
      current = current.extends ? this.events.get(current.extends) : undefined;
    }
    return chain.flatMap((event) => event.properties ?? []);
  }

  getComplexType(name: string): KmdComplexType | undefined {
    return this.complexTypes.get(name);
  }

  /** A REGISTER type's properties, its parents' first. */
  complexProperties(name: string): KmdParam[] {
    const chain: KmdComplexType[] = [];
    let current = this.complexTypes.get(name);
    while (current) {
      chain.unshift(current);
      current = current.extends ? this.complexTypes.get(current.extends) : undefined;
    }
    return chain.flatMap((type) => type.properties ?? []);
  }

  // ------------------------------------------------------------------------------------------------------------------
  // Incoming values

  /**
   * Checks and converts the params of an operation or constructor. Missing required params, wrong primitive types,
   * unknown enum values and unknown object ids are refused with the errors KMS gives.
   */
  unmarshalParams(specs: readonly KmdParam[], raw: unknown, resolver: ObjectResolver): Record<string, unknown> {
    if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
      throw kmsErrors.marshall("'operationParams' should be an object");
    }
    const input = (raw ?? {}) as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const spec of specs) {
      const value = input[spec.name];
      if (value === undefined || value === null) {
        if (!spec.optional) {
          throw kmsErrors.marshall(raw === undefined || raw === null ? "'operationParams' is required" : `'${spec.name}' parameter is required`);
        }
        if (spec.defaultValue !== undefined) result[spec.name] = spec.defaultValue;
        continue;
      }
      result[spec.name] = this.unmarshalValue(spec.type, value, spec.name, resolver);
    }
    return result;
  }

  /**
   * The constructor parameters of a creatable class, checked against its KMD constructor: missing required ones, wrong
   * types and unknown objects are refused, defaults are filled in. The result has the type generated from the same
   * KMD (kmd-types.generated.ts), which is what this check establishes.
   */
  unmarshalConstructor<K extends KmsCreatableClass>(name: K, raw: unknown, resolver: ObjectResolver): KmsConstructorParams[K] {
    return this.unmarshalParams(this.constructorParams(name), raw, resolver) as KmsConstructorParams[K];
  }

  unmarshalValue(type: string, value: unknown, name: string, resolver: ObjectResolver): unknown {
    if (type.endsWith('[]')) {
      if (!Array.isArray(value)) throw kmsErrors.marshall(`'${name}' parameter should be an array`);
      const itemType = type.slice(0, -2);
      return value.map((item, index) => this.unmarshalValue(itemType, item, `${name}[${index}]`, resolver));
    }
    if (type.endsWith('<>')) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw kmsErrors.marshall(`'${name}' parameter should be an object`);
      }
      const itemType = type.slice(0, -2);
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.unmarshalValue(itemType, item, `${name}.${key}`, resolver)]),
      );
    }
    switch (type) {
      case 'String':
        if (typeof value !== 'string') throw kmsErrors.marshall(`'${name}' parameter should be a string`);
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') throw kmsErrors.marshall(`'${name}' parameter should be a boolean`);
        return value;
      case 'int':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
          throw kmsErrors.marshall(`'${name}' parameter should be an integer`);
        }
        return value;
      case 'int64':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw kmsErrors.marshall(`'${name}' parameter should be an integer`);
        return value;
      case 'float':
      case 'double':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw kmsErrors.marshall(`'${name}' parameter should be a number`);
        return value;
    }
    const complexType = this.complexTypes.get(type);
    if (complexType) return this.unmarshalComplex(complexType, value, name, resolver);
    if (this.classes.has(type)) {
      if (typeof value !== 'string') throw kmsErrors.marshall(`'${name}' parameter should be a string`);
      const target = resolver.resolve(value);
      if (!target) throw kmsErrors.objectNotFound(value);
      if (!this.isA(target.type, type)) throw kmsErrors.marshall(`'${name}' parameter should be a ${type}`);
      return target;
    }
    throw new KmsError('UNEXPECTED_ERROR', `Unknown type '${type}' of parameter '${name}'`);
  }

  private unmarshalComplex(type: KmdComplexType, value: unknown, name: string, resolver: ObjectResolver): unknown {
    if (type.typeFormat === 'ENUM') {
      if (typeof value !== 'string' || !type.values?.includes(value)) throw kmsErrors.marshall(`Invalid value for '${type.name}'`);
      return value;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw kmsErrors.marshall(`'${name}' parameter should be a ${type.name}`);
    }
    const record = value as Record<string, unknown>;
    const declared = record.__type__;
    if (declared !== undefined) {
      const declaredName = String(declared);
      const module = record.__module__;
      if ((module !== undefined && module !== KMS_MODULE_PREFIX) || !this.complexTypes.has(declaredName)) {
        throw new KmsError('UNEXPECTED_ERROR', `Unknown complex type '${module === undefined ? '' : `${String(module)}.`}${declaredName}'`);
      }
    }
    const result: Record<string, unknown> = {};
    for (const property of this.complexProperties(type.name)) {
      const item = record[property.name];
      if (item === undefined || item === null) {
        if (!property.optional && !PRIMITIVES.has(property.type)) continue;
        if (!property.optional) throw kmsErrors.marshall(`'${property.name}' parameter is required`);
        if (property.defaultValue !== undefined) result[property.name] = property.defaultValue;
        continue;
      }
      result[property.name] = this.unmarshalValue(property.type, item, property.name, resolver);
    }
    return result;
  }

  // ------------------------------------------------------------------------------------------------------------------
  // Outgoing values

  /**
   * Serialises a value of KMD type `type` for the wire: remote objects become ids, REGISTER types get their
   * `__module__`/`__type__` markers (recursively), unset optional members are omitted.
   */
  marshalValue(type: string | undefined, value: unknown): unknown {
    if (value === undefined || value === null || type === undefined) return value ?? null;
    if (type.endsWith('[]')) {
      return Array.isArray(value) ? value.map((item) => this.marshalValue(type.slice(0, -2), item)) : value;
    }
    if (type.endsWith('<>')) {
      if (typeof value !== 'object') return value;
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.marshalValue(type.slice(0, -2), item)]));
    }
    if (this.classes.has(type)) {
      return typeof value === 'object' && 'id' in (value as object) ? (value as { id: string }).id : value;
    }
    const complexType = this.complexTypes.get(type);
    if (complexType?.typeFormat === 'REGISTER' && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      // A subtype (e.g. RTCInboundRTPStreamStats in a Stats<> map) names itself in __type__.
      const concrete = typeof record.__type__ === 'string' && this.complexTypes.has(record.__type__) ? record.__type__ : type;
      const result: Record<string, unknown> = { __module__: KMS_MODULE_PREFIX, __type__: concrete };
      for (const property of this.complexProperties(concrete)) {
        const item = record[property.name];
        if (item !== undefined && item !== null) result[property.name] = this.marshalValue(property.type, item);
      }
      return result;
    }
    return value;
  }

  /** The `data` of an onEvent notification, keyed like KMS (RaiseBase and Media members included). */
  marshalEvent(event: string, data: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const property of this.eventProperties(event)) {
      const value = data[property.name];
      if (value !== undefined && value !== null) result[property.name] = this.marshalValue(property.type, value);
    }
    return result;
  }
}
