/**
 * The Kurento protocol methods (ServerMethods.cpp): ping, create, describe, invoke, subscribe, unsubscribe, release,
 * transaction, connect, keepAlive, ref, unref, closeSession. This layer knows sessions and object ids; what an object
 * does is the object layer's business.
 */
import { randomUUID } from 'node:crypto';
import { KmsError, kmsErrors } from '../errors';
import { stringsIn, type MediaObjectSet } from '../objects/object-set';
import { SERVER_MANAGER_ID } from '../objects/ServerManager';
import {
  failure,
  optionalString,
  requireParams,
  requireString,
  success,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from './jsonrpc';
import type { ConnectionScope, EventSink, Session, SessionStore } from './sessions';

/** What one request runs against: the connection it came on, and the session bound to it. */
export interface RequestContext {
  connection: EventSink & ConnectionScope;
  boundSession: () => Session | undefined;
  bind: (session: Session) => void;
}

type Handler = (request: JsonRpcRequest, context: RequestContext) => Promise<Record<string, unknown> | null>;

const NEWREF = /^newref:(\d+)$/;

export class ProtocolDispatcher {
  readonly serverId = randomUUID();
  private readonly handlers: Record<string, Handler>;

  constructor(private readonly registry: MediaObjectSet, private readonly sessions: SessionStore) {
    this.handlers = {
      ping: (request, context) => this.ping(request, context),
      create: (request, context) => this.create(request, context),
      describe: (request, context) => this.describe(request, context),
      invoke: (request, context) => this.invoke(request, context),
      subscribe: (request, context) => this.subscribe(request, context),
      unsubscribe: (request, context) => this.unsubscribe(request, context),
      release: (request, context) => this.release(request, context),
      transaction: (request, context) => this.transaction(request, context),
      connect: (request, context) => this.connect(request, context),
      keepAlive: (request, context) => this.keepAlive(request, context),
      ref: (request, context) => this.ref(request, context, true),
      unref: (request, context) => this.ref(request, context, false),
      closeSession: (request, context) => this.closeSession(request, context),
    };
  }

  /** Handles one request and returns its response; never throws. */
  async handle(request: JsonRpcRequest, context: RequestContext, { cache = true }: { cache?: boolean } = {}): Promise<JsonRpcResponse> {
    const id = request.id ?? null;
    const handler = Object.hasOwn(this.handlers, request.method) ? this.handlers[request.method] : undefined;
    if (!handler) return failure(id, new KmsError('METHOD_NOT_FOUND', 'Method not found.'));
    // Like KMS, inject the connection's session into requests that do not name one.
    const bound = context.boundSession();
    if (bound && request.params && request.method !== 'ping' && request.params.sessionId === undefined) {
      request = { ...request, params: { ...request.params, sessionId: bound.id } };
    } else if (bound && !request.params && request.method !== 'ping' && request.method !== 'connect') {
      request = { ...request, params: { sessionId: bound.id } };
    }
    const claimed = request.params?.sessionId;
    // Duplicate requests (same session and id within 20 s) get the first answer again (ServerMethods.cpp cache).
    const serial = context.connection.serial;
    const cacheSession = cache && typeof claimed === 'string' && request.id !== undefined ? this.sessions.get(claimed) : undefined;
    const cachedResponse = cacheSession?.cached(serial, request.id);
    if (cachedResponse) return cachedResponse;
    let response: JsonRpcResponse;
    try {
      const result = await handler(request, context);
      response = success(id, result);
    } catch (error) {
      response = failure(id, toKmsError(error, request.method));
    }
    const session = cache && typeof claimed === 'string' ? this.sessions.get(claimed) : undefined;
    if (session && request.id !== undefined) session.remember(serial, request.id, response);
    return response;
  }

  // ------------------------------------------------------------------------------------------------------------------

  private session(params: Record<string, unknown>, context: RequestContext): Session {
    const session = this.sessions.getOrCreate(optionalString(params, 'sessionId'));
    if (context.connection.scoped) session.scoped = true;
    context.bind(session);
    return session;
  }

  private object(session: Session, id: string) {
    if (NEWREF.test(id)) throw new KmsError('MEDIA_OBJECT_NOT_FOUND_TRANSACTION_NO_COMMIT', `Object '${id}' not found: 'newref:' ids only exist inside a transaction`);
    this.ensureVisible(session, [id]);
    const object = this.registry.get(id);
    session.refs.add(object.id);
    return object;
  }

  /**
   * A scoped session (a page from another machine) may name only objects it created or was given: any other id is
   * answered as if it did not exist, so neither another attendee's objects nor their existence can be reached.
   */
  private ensureVisible(session: Session, ids: readonly string[]): void {
    if (!session.scoped) return;
    for (const id of ids) {
      if (id === SERVER_MANAGER_ID || session.refs.has(id)) continue;
      throw kmsErrors.objectNotFound(id);
    }
  }

  /** Strings in request parameters that name existing objects (a sink, a hub, a pipeline). */
  private referencedIds(value: unknown): string[] {
    return stringsIn(value).filter((id) => this.registry.resolve(id));
  }

  private async ping(request: JsonRpcRequest, context: RequestContext): Promise<Record<string, unknown>> {
    const bound = context.boundSession();
    bound?.touch();
    return bound ? { value: 'pong', sessionId: bound.id } : { value: 'pong' };
  }

  private async create(request: JsonRpcRequest, context: RequestContext): Promise<Record<string, unknown>> {
    const params = requireParams(request);
    const type = requireString(params, 'type');
    const session = this.session(params, context);
    this.ensureVisible(session, this.referencedIds(params.constructorParams));
    // The session is named as the requester: the ObjectCreated events of this creation are its to see.
    const object = await this.registry.create(type, params.constructorParams, session);
    session.refs.add(object.id);
    return { value: object.id, sessionId: session.id };
  }

  private async describe(request: JsonRpcRequest, context: RequestContext): Promise<Record<string, unknown>> {
    const params = requireParams(request);
    const objectId = requireString(params, 'object');
    const session = this.session(params, context);
    const object = this.object(session, objectId);
    return {
      sessionId: session.id,
      type: object.type,
      qualifiedType: `kurento.${object.type}`,
      hierarchy: this.registry.kmd.qualifiedHierarchy(object.type),
    };
  }

  private async invoke(request: JsonRpcRequest, context: RequestContext): Promise<Record<string, unknown>> {
    const params = requireParams(request);
    const objectId = requireString(params, 'object');
    const operation = requireString(params, 'operation');
    const session = this.session(params, context);
    const object = this.object(session, objectId);
    this.ensureVisible(session, this.referencedIds(params.operationParams));
    let value = await this.registry.invoke(object.id, operation, params.operationParams);
    if (session.scoped && object.id === SERVER_MANAGER_ID) value = scopedManagerValue(operation, value, session);
    // Objects returned by getChildren/getPipelines/… become usable by this session too.
    for (const id of collectIds(value)) if (this.registry.resolve(id)) session.refs.add(id);
    return { sessionId: session.id, value: value ?? null };
  }

  private async subscribe(request: JsonRpcRequest, context: RequestContext): Promise<Record<string, unknown>> {
    const params = requireParams(request);
    const objectId = requireString(params, 'object');
    const event = requireString(params, 'type');
    const session = this.session(params, context);
    const object = this.object(session, objectId);
    if (!this.registry.kmd.eventsOf(object.type).has(event)) throw kmsErrors.eventNotSupported(event);
    const id = randomUUID();
    session.subscriptions.set(id, { id, objectId: object.id, event });
    return { value: id, sessionId: session.id };
  }

  private async unsubscribe(request: JsonRpcRequest, context: RequestContext): Promise<Record<string, unknown>> {
    const params = requireParams(request);
    const session = this.session(params, context);
    const subscription = optionalString(params, 'subscription');
    if (subscription) session.subscriptions.delete(subscription);
    return { sessionId: session.id };
  }

  private async release(request: JsonRpcRequest, context: RequestContext): Promise<Record<string, unknown>> {
    const params = requireParams(request);
    const objectId = requireString(params, 'object');
    const session = this.session(params, context);
    // KMS swallows errors here: unknown or already released ids succeed. A scoped session releases only its own.
    if (!session.scoped || session.refs.has(objectId)) await this.registry.release(objectId).catch(() => undefined);
    return { sessionId: session.id };
  }

  private async transaction(request: JsonRpcRequest, context: RequestContext): Promise<Record<string, unknown>> {
    const params = requireParams(request);
    const operations = params.operations;
    if (!Array.isArray(operations)) throw new KmsError('SERVER_ERROR', "'operations' parameter should be an array");
    const session = this.session(params, context);
    const responses: JsonRpcResponse[] = [];
    for (const [index, raw] of operations.entries()) {
      const operation = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      let response: JsonRpcResponse;
      if (operation.id !== index) {
        response = failure(index, new KmsError('MALFORMED_TRANSACTION', `Id of request '${String(operation.id)}' should be '${index}'`));
      } else if (typeof operation.method !== 'string' || operation.method === 'transaction') {
        response = failure(index, new KmsError('INVALID_REQUEST', 'Invalid JSON-RPC request.'));
      } else {
        try {
          const opParams = injectRefs(operation.params ?? {}, responses) as Record<string, unknown>;
          response = await this.handle(
            { jsonrpc: '2.0', id: index, method: operation.method, params: { ...opParams, sessionId: session.id } },
            context,
            { cache: false },
          );
        } catch (error) {
          response = failure(index, toKmsError(error, 'transaction'));
        }
      }
      responses.push(response);
      if ('error' in response) break;
    }
    return { value: responses, sessionId: session.id };
  }

  private async connect(request: JsonRpcRequest, context: RequestContext): Promise<Record<string, unknown>> {
    const requested = request.params ? optionalString(request.params, 'sessionId') : undefined;
    let session: Session;
    if (requested !== undefined) {
      const existing = this.sessions.get(requested);
      if (!existing) throw kmsErrors.invalidSession();
      session = existing;
    } else {
      session = context.boundSession() ?? this.sessions.getOrCreate(undefined);
    }
    context.bind(session);
    session.touch();
    return { sessionId: session.id, serverId: this.serverId };
  }

  private async keepAlive(request: JsonRpcRequest, context: RequestContext): Promise<Record<string, unknown>> {
    const params = requireParams(request);
    const session = this.sessions.get(requireString(params, 'sessionId'));
    if (!session) throw kmsErrors.invalidSession();
    session.touch();
    context.bind(session);
    return { sessionId: session.id };
  }

  private async ref(request: JsonRpcRequest, context: RequestContext, add: boolean): Promise<Record<string, unknown>> {
    const params = requireParams(request);
    const objectId = requireString(params, 'object');
    const session = this.session(params, context);
    if (add) {
      this.object(session, objectId);
    } else {
      // A scoped session cannot unref (and so release) what it does not hold.
      if (!session.refs.has(objectId)) this.ensureVisible(session, [objectId]);
      session.refs.delete(objectId);
      // MediaSet::unref: an object no session references any more is released at once.
      if (this.sessions.holders(objectId).length === 0 && this.registry.resolve(objectId)) await this.registry.release(objectId).catch(() => undefined);
    }
    return { sessionId: session.id };
  }

  /**
   * ServerMethods::closeSession: forgets the session (references, subscriptions). With `release: true` every object it
   * referenced is released, whoever else uses it (MediaSet::releaseSession); otherwise its references are dropped and
   * only the objects nobody else references go (MediaSet::unrefSession). An unknown session is no error. KMS leaves
   * the response empty: the result is null.
   */
  private async closeSession(request: JsonRpcRequest, context: RequestContext): Promise<null> {
    const params = requireParams(request);
    const sessionId = requireString(params, 'sessionId');
    const session = this.sessions.remove(sessionId);
    if (session) {
      const releaseAll = params.release === true;
      for (const id of [...session.refs]) {
        if (releaseAll || this.sessions.holders(id).length === 0) await this.registry.release(id).catch(() => undefined);
      }
      session.refs.clear();
      session.subscriptions.clear();
      if (context.boundSession() === session) session.connection = undefined;
    }
    return null;
  }
}

/** Replaces every `"newref:N"` string in a transaction operation by the id returned by operation N. */
function injectRefs(value: unknown, responses: JsonRpcResponse[]): unknown {
  if (typeof value === 'string') {
    const match = NEWREF.exec(value);
    if (!match) return value;
    const index = Number(match[1]);
    const response = responses[index];
    const id = response && 'result' in response ? response.result?.value : undefined;
    if (typeof id !== 'string') throw new KmsError('MALFORMED_TRANSACTION', `Reference '${value}' does not name an object created in this transaction`);
    return id;
  }
  if (Array.isArray(value)) return value.map((item) => injectRefs(item, responses));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, injectRefs(item, responses)]));
  }
  return value;
}

/**
 * What the ServerManager tells a scoped session: its own session id and pipelines, not everybody's (KMS lists every
 * session and pipeline to every client; an attendee of a workshop must not learn the others' ids).
 */
function scopedManagerValue(operation: string, value: unknown, session: Session): unknown {
  if (operation === 'getSessions') return [session.id];
  if (operation === 'getPipelines' && Array.isArray(value)) return value.filter((id) => typeof id === 'string' && session.refs.has(id));
  return value;
}

function collectIds(value: unknown): string[] {
  if (typeof value === 'string') return value.includes('_kurento.') || value === SERVER_MANAGER_ID ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(collectIds);
  return [];
}

function toKmsError(error: unknown, method: string): KmsError {
  if (error instanceof KmsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new KmsError('INTERNAL_ERROR', `Unexpected error while processing method: ${method}: ${message}`);
}
