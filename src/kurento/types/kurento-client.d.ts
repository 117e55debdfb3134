/*
 * Typings for the npm package kurento-client 7.3.0 (the @types/kurento-client 6.x package does not match it).
 *
 * This file declares the module and the client (node_modules/kurento-client/lib/KurentoClient.js); the media API
 * (remote classes such as WebRtcEndpoint, their events, complex types, ConstructorParams, Creatable, Callback,
 * Thenable, ...) is generated from the KMD into ./kurento-client.generated.d.ts, a module augmentation of this one.
 *
 *   import kurentoClient from 'kurento-client';
 *   import type { WebRtcEndpoint, IceCandidateFound } from 'kurento-client';
 *   const kurentoClient = require('kurento-client');   // JS files (checkJs) get the same types
 */
declare module 'kurento-client' {
  /**
   * Connects to a Kurento Media Server (`ws://host:8888/kurento`). Callable with or without `new`.
   *
   * The client is returned at once and is usable right away (requests wait for the connection); it is also thenable
   * and resolves to itself once the WebSocket is open. The callback form reports, in strict mode, whether the server
   * has the core, elements and filters modules.
   */
  function kurentoClient(
    ws_uri: string,
    options?: kurentoClient.KurentoClientOptions,
    callback?: kurentoClient.Callback<kurentoClient.KurentoClient>,
  ): kurentoClient.KurentoClientThenable;
  function kurentoClient(
    ws_uri: string,
    callback: kurentoClient.Callback<kurentoClient.KurentoClient>,
  ): kurentoClient.KurentoClientThenable;

  namespace kurentoClient {
    /** WebSocket options handed to the transport (packages/reconnect-ws in Kurento Labs). */
    interface SocketOptions {
      /** Frame tap of the Kurento Labs reconnect-ws: called for every text frame sent ('out') or received ('in'). */
      onFrame?: (direction: 'in' | 'out', data: string) => void;
      [option: string]: unknown;
    }

    /** Options of `kurentoClient(url, options)`. */
    interface KurentoClientOptions {
      /** Give up (and emit 'disconnect') after this many failed reconnection attempts. Default: Infinity. */
      failAfter?: number;
      /** Reject unknown types in create(); check on connection that the server has the modules. Default: true. */
      strict?: boolean;
      /** Milliseconds before an unanswered request is retried or fails ("Request has timed out"). Default: 20000. */
      request_timeout?: number;
      /** Milliseconds a response is kept to answer duplicated requests. Default: 20000. */
      response_timeout?: number;
      /** Milliseconds during which duplicated responses are ignored. Default: 20000. */
      duplicates_timeout?: number;
      /** Number of times a request is re-sent when it times out. Default: 0. */
      max_retries?: number;
      /** Appended to the WebSocket URL as `?access_token=…`. */
      access_token?: string;
      /** Use the `transaction` RPC for transactions (false: send their operations one by one). Default: true. */
      enableTransactions?: boolean;
      /** Batch the requests issued in the same tick into one implicit `transaction` RPC. Default: false. */
      useImplicitTransactions?: boolean;
      /** WebSocket options. */
      socket?: SocketOptions;
    }

    /** Events of the client, with their listener arguments. */
    interface KurentoClientEvents {
      /** First connection established. */
      connected: [];
      /** Socket re-established; `sameSession` is false when the server no longer knew the session (objects lost). */
      reconnected: [sameSession: boolean];
      /** Reconnection gave up after `failAfter` attempts; every known media object also emits 'release'. */
      disconnect: [];
      /** Emitted right after 'disconnect'. */
      disconnected: [];
    }

    /** A connection to a media server (what `await kurentoClient(url)` gives). */
    interface KurentoClient {
      /** Session id assigned by the server (undefined before the first response; throws once disconnected). */
      readonly sessionId: string | undefined;

      /**
       * Creates a media object. Without a `mediaPipeline` parameter only 'MediaPipeline' makes sense here; elements
       * are normally created with `pipeline.create(type, params)`. Returned at once, awaitable.
       */
      create<K extends keyof Creatable>(
        type: K,
        ...args: CreateArgs<ConstructorParams[K], Creatable[K]>
      ): Thenable<Creatable[K]>;

      /** The media server's ServerManager (object id `manager_ServerManager`). */
      getServerManager(callback?: Callback<ServerManager>): Promise<ServerManager>;

      /** Gets (and caches) the object with the given id, or objects with the given ids; `describe`s unknown ids. */
      getMediaobjectById<T extends MediaObject = MediaObject>(id: string, callback?: Callback<T>): Promise<T>;
      getMediaobjectById<T extends MediaObject = MediaObject>(ids: string[], callback?: Callback<T[]>): Promise<T[]>;

      /** Connects each element to the next one: `connect(a, b, c)` is `a.connect(b)` then `b.connect(c)`. */
      connect(...media: [MediaElement, MediaElement, ...MediaElement[]]): Promise<void>;
      connect(media: MediaElement[], callback?: Callback<void>): Promise<void>;

      /** Stops pinging and closes the WebSocket once the pending requests are answered. */
      close(): void;

      // Events (the client is an EventEmitter)
      on<E extends keyof KurentoClientEvents>(event: E, listener: ClientListener<E>): this;
      once<E extends keyof KurentoClientEvents>(event: E, listener: ClientListener<E>): this;
      addListener<E extends keyof KurentoClientEvents>(event: E, listener: ClientListener<E>): this;
      prependListener<E extends keyof KurentoClientEvents>(event: E, listener: ClientListener<E>): this;
      prependOnceListener<E extends keyof KurentoClientEvents>(event: E, listener: ClientListener<E>): this;
      off<E extends keyof KurentoClientEvents>(event: E, listener: ClientListener<E>): this;
      removeListener<E extends keyof KurentoClientEvents>(event: E, listener: ClientListener<E>): this;
      removeAllListeners(event?: keyof KurentoClientEvents): this;
      listenerCount(event: keyof KurentoClientEvents): number;
      emit(event: string | symbol, ...args: unknown[]): boolean;
      listeners(event: string | symbol): Array<(...args: unknown[]) => unknown>;
      rawListeners(event: string | symbol): Array<(...args: unknown[]) => unknown>;
      eventNames(): Array<string | symbol>;
      setMaxListeners(n: number): this;
      getMaxListeners(): number;
    }

    /** Listener of a client event. */
    type ClientListener<E extends keyof KurentoClientEvents> = (...args: KurentoClientEvents[E]) => void;

    /** What `kurentoClient(url)` returns: the client, which also resolves to itself when the socket is open. */
    type KurentoClientThenable = KurentoClient & {
      then<R1 = KurentoClient, R2 = never>(
        onfulfilled?: ((client: KurentoClient) => R1 | PromiseLike<R1>) | null,
        onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
      ): Promise<R1 | R2>;
      catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<KurentoClient | R>;
    };

    /** `kurentoClient.KurentoClient`: the same function as the module itself. */
    interface KurentoClientConstructor {
      new (ws_uri: string, options?: KurentoClientOptions, callback?: Callback<KurentoClient>): KurentoClientThenable;
      new (ws_uri: string, callback: Callback<KurentoClient>): KurentoClientThenable;
      (ws_uri: string, options?: KurentoClientOptions, callback?: Callback<KurentoClient>): KurentoClientThenable;
      (ws_uri: string, callback: Callback<KurentoClient>): KurentoClientThenable;
    }

    const KurentoClient: KurentoClientConstructor;

    /** Builds complex values client-side; instances serialise with `__module__` and `__type__`. */
    interface ComplexTypeConstructor<T> {
      new (dict?: Omit<T, keyof ComplexTypeMarkers>): T & Required<ComplexTypeMarkers>;
      (dict?: Omit<T, keyof ComplexTypeMarkers>): T & Required<ComplexTypeMarkers>;
    }

    /**
     * Constructor of a registered complex type, by plain or `kurento.`-qualified name, e.g.
     * `kurentoClient.getComplexType('IceCandidate')(candidate)`. Enums are not complex type constructors.
     */
    function getComplexType<K extends keyof ComplexTypes>(
      complexType: K | `kurento.${K}`,
    ): ComplexTypeConstructor<ComplexTypes[K]>;

    /** One shared client per URL; the callback receives it once connected. */
    function getSingleton(
      ws_uri: string,
      options?: KurentoClientOptions,
      callback?: Callback<KurentoClient>,
    ): KurentoClientThenable;
    function getSingleton(ws_uri: string, callback: Callback<KurentoClient>): KurentoClientThenable;

    /** Registers a module of generated classes (what kurento-client does for core, elements and filters). */
    const register: {
      (module: string | object): void;
      (name: string, constructor: string | ((...args: never[]) => unknown)): void;
      readonly abstracts: Record<string, unknown>;
      readonly classes: Record<string, unknown>;
      readonly complexTypes: Record<string, unknown>;
      /** Names of the registered modules, sorted ('core', 'elements', 'filters'). */
      readonly modules: string[];
    };

    /** Client-side value checker used by the generated code (throws on invalid values). */
    const checkType: {
      (type: string, key: string, value: unknown, options?: { isArray?: boolean; required?: boolean }): void;
      [type: string]: unknown;
    };

    /** Internals of kurento-client, exported by its index for the generated modules. */
    const disguise: unknown;
    const MediaObjectCreator: unknown;
    const TransactionsManager: unknown;
  }

  export = kurentoClient;
}
