/**
 * The set of live media objects (MediaSet in KMS): creation through the factories the server really implements,
 * lookup by id, invocation of KMD operations with validated parameters, release, and the event outlet.
 */
import { KmsError, kmsErrors } from '../errors';
import type { KmsConfig } from '../config';
import type { Logger } from '../logger';
import type { HttpEndpointServer } from './HttpEndpointServer';
import { KMD_MODULES, type KmdModuleName, type KmdRegistry, type ObjectResolver } from './kmd';
import type { MediaObject, ObjectContext } from './MediaObject';
import { MediaPipeline } from './MediaPipeline';
import { PassThrough } from './PassThrough';
import { ServerManager, SERVER_MANAGER_ID } from './ServerManager';
import { WebRtcEndpoint } from './WebRtcEndpoint';
import { HubPort } from './HubPort';
import { Dispatcher } from './Dispatcher';
import { DispatcherOneToMany } from './DispatcherOneToMany';
import { PlayerEndpoint } from './PlayerEndpoint';
import { RecorderEndpoint } from './RecorderEndpoint';
import { Composite } from './Composite';
import { GStreamerFilter } from './GStreamerFilter';
import { ZBarFilter } from './ZBarFilter';
import { FaceOverlayFilter } from './FaceOverlayFilter';
import { ImageOverlayFilter } from './ImageOverlayFilter';
import { RtpEndpoint } from './RtpEndpoint';
import { HttpPostEndpoint } from './HttpPostEndpoint';
import { AlphaBlending } from './AlphaBlending';
import { Mixer } from './Mixer';
import { KMD_CLASS_MODULE, type KmsConstructorParams, type KmsCreatableClass } from './kmd-types.generated';
import type { MediaObjectSet, ObjectHandle, WireEventListener } from './object-set';

type Factory<K extends KmsCreatableClass> = (context: ObjectContext, params: KmsConstructorParams[K]) => MediaObject;
type FactoryTable = { [K in KmsCreatableClass]?: Factory<K> };

/**
 * The classes this server implements: the single source of getInfo's factory lists (and of the list of supported
 * classes in the docs). Anything else answers 40108, as a KMS without the module would. Each factory gets its
 * constructor parameters typed from the KMD (kmd-types.generated.ts): a class that takes other parameters than the
 * KMD declares does not compile here.
 */
export const FACTORIES: FactoryTable = {
  MediaPipeline: (context) => new MediaPipeline(context),
  PassThrough: (context, params) => new PassThrough(context, params),
  HubPort: (context, params) => new HubPort(context, params),
  WebRtcEndpoint: (context, params) => new WebRtcEndpoint(context, params),
  RtpEndpoint: (context, params) => new RtpEndpoint(context, params),
  HttpPostEndpoint: (context, params) => new HttpPostEndpoint(context, params),
  Dispatcher: (context, params) => new Dispatcher(context, params),
  DispatcherOneToMany: (context, params) => new DispatcherOneToMany(context, params),
  RecorderEndpoint: (context, params) => new RecorderEndpoint(context, params),
  PlayerEndpoint: (context, params) => new PlayerEndpoint(context, params),
  Composite: (context, params) => new Composite(context, params),
  AlphaBlending: (context, params) => new AlphaBlending(context, params),
  Mixer: (context, params) => new Mixer(context, params),
  GStreamerFilter: (context, params) => new GStreamerFilter(context, params),
  ZBarFilter: (context, params) => new ZBarFilter(context, params),
  FaceOverlayFilter: (context, params) => new FaceOverlayFilter(context, params),
  ImageOverlayFilter: (context, params) => new ImageOverlayFilter(context, params),
};

/** Whether `name` is a class of the KMD that can be created (not abstract). */
function isCreatable(name: string): name is KmsCreatableClass {
  return Object.hasOwn(KMD_CLASS_MODULE, name);
}

/** The implemented classes by KMD module, sorted: what getInfo lists as each module's factories. */
export function implementedFactories(): Record<KmdModuleName, string[]> {
  const result = Object.fromEntries(KMD_MODULES.map((module) => [module, [] as string[]])) as Record<KmdModuleName, string[]>;
  for (const name of Object.keys(FACTORIES)) if (isCreatable(name)) result[KMD_CLASS_MODULE[name]].push(name);
  for (const list of Object.values(result)) list.sort();
  return result;
}

/** What the ServerManager of a registry lists as pipelines (by default, the pipelines of this registry). */
export type PipelineLister = () => ReadonlyArray<{ readonly id: string }>;

export class ObjectRegistry implements ObjectResolver, MediaObjectSet {
  private readonly objects = new Map<string, MediaObject>();
  private readonly eventListeners = new Set<WireEventListener>();
  private readonly releaseListeners = new Set<(id: string) => void>();
  /** The requester of the `create` running now (creation is synchronous): its events carry it. */
  private requester: unknown;
  readonly serverManager: ServerManager;
  readonly context: ObjectContext;

  constructor(readonly kmd: KmdRegistry, config: KmsConfig, log: Logger, sessions: () => string[], http: HttpEndpointServer, pipelines?: PipelineLister) {
    this.context = {
      kmd,
      config,
      log,
      http,
      emit: (source, event, data) => {
        if (this.eventListeners.size === 0) return;
        const wire = kmd.marshalEvent(event, data);
        for (const listener of this.eventListeners) listener(source.id, event, wire, this.requester);
      },
      adopt: (object) => this.register(object),
      forget: (object) => this.unregister(object),
    };
    this.serverManager = new ServerManager(this.context, {
      factories: () => this.factoriesByModule(),
      pipelines: pipelines ?? (() => [...this.objects.values()].filter((object): object is MediaPipeline => object instanceof MediaPipeline)),
      sessions,
    });
    this.objects.set(SERVER_MANAGER_ID, this.serverManager);
  }

  factoriesByModule(): Record<KmdModuleName, string[]> {
    return implementedFactories();
  }

  onEvent(listener: WireEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onRelease(listener: (id: string) => void): () => void {
    this.releaseListeners.add(listener);
    return () => this.releaseListeners.delete(listener);
  }

  resolve(id: string): MediaObject | undefined {
    return this.objects.get(id);
  }

  get(id: string): MediaObject {
    const object = this.objects.get(id);
    if (!object) throw kmsErrors.objectNotFound(id);
    return object;
  }

  get size(): number {
    return this.objects.size;
  }

  all(): MediaObject[] {
    return [...this.objects.values()];
  }

  private register(object: MediaObject): void {
    this.objects.set(object.id, object);
    this.serverManager.notifyCreated(object);
  }

  private unregister(object: MediaObject): void {
    if (this.objects.get(object.id) !== object) return;
    this.objects.delete(object.id);
    // ObjectDestroyed first: sessions still hold the object then, so each one that may see it is told.
    this.serverManager.notifyDestroyed(object.id);
    for (const listener of this.releaseListeners) listener(object.id);
  }

  /** `create`: resolves the (possibly `kurento.`-qualified) type, validates constructor params, builds the object. */
  create(type: string, constructorParams: unknown, requester?: unknown): MediaObject {
    const name = this.kmd.unqualify(type);
    if (!isCreatable(name) || !this.kmd.hasClass(name)) throw kmsErrors.factoryNotFound(type);
    this.requester = requester;
    try {
      const object = this.build(name, constructorParams);
      this.register(object);
      return object;
    } finally {
      this.requester = undefined;
    }
  }

  private build<K extends KmsCreatableClass>(name: K, constructorParams: unknown): MediaObject {
    const factory: Factory<K> | undefined = FACTORIES[name];
    if (!factory) throw kmsErrors.factoryNotFound(name);
    return factory(this.context, this.kmd.unmarshalConstructor(name, constructorParams ?? {}, this));
  }

  /**
   * `invoke`: finds the KMD operation, validates its params, runs it, and marshals the result for the wire. `foreign`:
   * objects the params may name that live elsewhere (on another worker, so in another pipeline): they resolve to
   * stand-ins of their class and pipeline, so that e.g. connect() answers "Media elements do not share pipeline" as
   * it does when both are here.
   */
  async invoke(id: string, operation: string, operationParams: unknown, foreign: readonly ObjectHandle[] = []): Promise<unknown> {
    const object = this.get(id);
    const resolver: ObjectResolver = foreign.length === 0 ? this : { resolve: (name) => this.resolve(name) ?? foreignStandIn(foreign, name) };
    const resolved = this.kmd.findOperation(object.type, operation);
    const given = operationParams && typeof operationParams === 'object' ? Object.keys(operationParams).length : 0;
    if (!resolved) throw kmsErrors.methodNotFound(operation, given);
    switch (resolved.kind) {
      case 'getter':
        this.kmd.unmarshalParams([], operationParams, resolver);
        return this.kmd.marshalValue(resolved.property.type, await object.getProperty(resolved.property.name));
      case 'setter': {
        const params = this.kmd.unmarshalParams([{ name: resolved.property.name, type: resolved.property.type }], operationParams, resolver);
        await object.setProperty(resolved.property.name, params[resolved.property.name]);
        return null;
      }
      case 'method': {
        const params = this.kmd.unmarshalParams(resolved.params, operationParams, resolver);
        const implementation = (object as unknown as Record<string, unknown>)[operation];
        if (typeof implementation !== 'function') {
          throw new KmsError('NOT_IMPLEMENTED', `${object.type}.${operation} is not implemented by the embedded server`);
        }
        const value: unknown = await (implementation as (params: Record<string, unknown>) => unknown).call(object, params);
        return resolved.returnType === undefined ? null : this.kmd.marshalValue(resolved.returnType, value);
      }
    }
  }

  /** `release`: unknown or already released ids succeed, as in KMS. The ServerManager is never released. */
  async release(id: string): Promise<void> {
    const object = this.objects.get(id);
    if (!object || object === this.serverManager) return;
    await object.release();
  }

  async releaseAll(): Promise<void> {
    for (const object of [...this.objects.values()]) {
      if (object instanceof MediaPipeline) await object.release();
    }
  }
}

/** A stand-in for an object of another worker: its id and class, and a pipeline no object here shares. */
function foreignStandIn(foreign: readonly ObjectHandle[], id: string): ObjectHandle | undefined {
  const handle = foreign.find((candidate) => candidate.id === id);
  if (!handle) return undefined;
  const pipeline = { id: id.split('/')[0] ?? id, type: 'MediaPipeline' };
  return Object.freeze({ id: handle.id, type: handle.type, mediaPipeline: pipeline, pipeline });
}
