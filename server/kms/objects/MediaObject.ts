import { randomUUID } from 'node:crypto';
import { KmsError } from '../errors';
import type { KmsConfig } from '../config';
import type { Logger } from '../logger';
import type { HttpEndpointServer } from './HttpEndpointServer';
import { KMS_MODULE_PREFIX, type KmdRegistry } from './kmd';
import type { KmsEventFields, KmsEventName, MediaObjectEvents } from './kmd-types.generated';

/** What every object can reach: the KMD, the server configuration, the event outlet and the registry. */
export interface ObjectContext {
  readonly kmd: KmdRegistry;
  readonly config: KmsConfig;
  readonly log: Logger;
  /** The URLs HttpEndpoints serve on the KMS port. */
  readonly http: HttpEndpointServer;
  /** Hands an event raised by `source` to whoever subscribed to it (the protocol layer). */
  emit(source: MediaObject, event: string, data: Record<string, unknown>): void;
  /** Registers a child created by an object itself (not through `create`). */
  adopt(object: MediaObject): void;
  /** Called once an object has been released, so that it can be forgotten. */
  forget(object: MediaObject): void;
}

export interface Tag {
  key: string;
  value: string;
}

/** A getter/setter pair backing a KMD property (the getter may answer asynchronously). */
export interface PropertyAccess {
  get(): unknown;
  set?(value: unknown): void | Promise<void>;
}

/**
 * Root of the KMD hierarchy. Subclasses implement KMD operations as methods named exactly like them, taking the
 * already validated params object (`processOffer({ offer })`), and expose KMD properties through `property()`.
 * The protocol layer only ever calls operations the KMD declares for the class; one the class does not implement
 * answers NOT_IMPLEMENTED instead of pretending to succeed.
 *
 * `E` is the class's event map (generated from the KMD, kmd-types.generated.ts): `raise()` accepts only the events of
 * the class, with the fields of each event, so that a misspelt event or field fails to compile.
 */
export abstract class MediaObject<E extends MediaObjectEvents = MediaObjectEvents> {
  readonly id: string;
  readonly type: string;
  readonly parent: MediaObject | undefined;
  readonly children = new Set<MediaObject>();
  readonly creationTime = Math.floor(Date.now() / 1000);
  protected readonly context: ObjectContext;
  private name: string;
  private sendTagsInEvents = false;
  private readonly tags = new Map<string, string>();
  private releasing: Promise<void> | undefined;
  released = false;

  protected constructor(context: ObjectContext, type: string, parent?: MediaObject, fixedId?: string) {
    this.context = context;
    this.type = type;
    this.parent = parent;
    const own = `${randomUUID()}_${KMS_MODULE_PREFIX}.${type}`;
    this.id = fixedId ?? (parent ? `${parent.id}/${own}` : own);
    this.name = this.id;
    parent?.children.add(this);
  }

  /** The pipeline this object belongs to (itself for a pipeline, none for the ServerManager). */
  abstract get pipeline(): MediaObject | undefined;

  /** Values of KMD properties, by property name. Subclasses add their own entries to the map of their parent. */
  protected properties(): Record<string, PropertyAccess> {
    return {
      id: { get: () => this.id },
      mediaPipeline: { get: () => this.pipeline },
      parent: { get: () => this.parent },
      children: { get: () => [...this.children] },
      name: { get: () => this.name, set: (value) => void (this.name = String(value)) },
      sendTagsInEvents: { get: () => this.sendTagsInEvents, set: (value) => void (this.sendTagsInEvents = Boolean(value)) },
      creationTime: { get: () => this.creationTime },
    };
  }

  getProperty(name: string): unknown {
    const access = this.properties()[name];
    if (!access) throw new KmsError('NOT_IMPLEMENTED', `Property '${name}' of ${this.type} is not implemented by the embedded server`);
    return access.get();
  }

  async setProperty(name: string, value: unknown): Promise<void> {
    const access = this.properties()[name];
    if (!access?.set) throw new KmsError('NOT_IMPLEMENTED', `Property '${name}' of ${this.type} cannot be set on the embedded server`);
    await access.set(value);
  }

  // KMD methods of MediaObject ---------------------------------------------------------------------------------------

  addTag({ key, value }: { key: string; value: string }): void {
    this.tags.set(key, value);
  }

  removeTag({ key }: { key: string }): void {
    this.tags.delete(key);
  }

  getTag({ key }: { key: string }): string {
    const value = this.tags.get(key);
    if (value === undefined) throw new KmsError('MEDIA_OBJECT_TAG_KEY_NOT_FOUND', `Tag key '${key}' not found`);
    return value;
  }

  getTags(): Tag[] {
    return [...this.tags].map(([key, value]) => ({ key, value }));
  }

  // Events -------------------------------------------------------------------------------------------------------------

  /**
   * Raises a KMD event on this object. `fields` are the event's own properties; the RaiseBase/Media members
   * (source, timestampMillis, tags, type) are added here, as KMS' generated event classes do.
   */
  protected raise<K extends keyof E & KmsEventName>(
    event: K,
    ...[fields]: Record<never, never> extends KmsEventFields[K] ? [fields?: KmsEventFields[K]] : [fields: KmsEventFields[K]]
  ): void {
    if (this.released) return;
    this.context.emit(this, event, {
      source: this.id,
      timestampMillis: String(Date.now()),
      tags: this.sendTagsInEvents ? this.getTags() : [],
      type: event,
      ...fields,
    });
  }

  /** Raises the MediaObject `Error` event, whose `type` is the error type (e.g. RESOURCE_ERROR_OPEN). */
  protected raiseError(type: string, description: string, errorCode: number): void {
    this.context.log.warn(`${this.type} ${this.shortId}: ${type}: ${description}`);
    this.raise('Error', { type, description, errorCode });
  }

  /** The last part of the id, for logs. */
  get shortId(): string {
    return this.id.slice(this.id.lastIndexOf('/') + 1).slice(0, 8);
  }

  // Life cycle ---------------------------------------------------------------------------------------------------------

  /** Releases children first, then this object's own resources. Idempotent; concurrent calls share one release. */
  release(): Promise<void> {
    this.releasing ??= (async () => {
      for (const child of [...this.children].reverse()) await child.release();
      try {
        await this.dispose();
      } finally {
        this.released = true;
        this.parent?.children.delete(this);
        this.context.forget(this);
      }
    })();
    return this.releasing;
  }

  /** Frees sockets, timers and processes. Called once, after the children are gone. */
  protected async dispose(): Promise<void> {}
}
