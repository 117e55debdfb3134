/**
 * The HTTP side of the embedded KMS, for HttpEndpoints (KMS' HttpEndPointServer, on its own port 9091 there): each
 * endpoint registers a path `/kurento-http/<random id>` while it exists, served on the KMS port (plain HTTP requests to
 * it, next to the WebSocket) and, in workshop mode, through the site's https origin. Unknown or expired paths answer
 * 404, as KMS does.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const HTTP_ENDPOINT_PREFIX = '/kurento-http/';

export type HttpEndpointHandler = (req: IncomingMessage, res: ServerResponse) => void;

export class HttpEndpointServer {
  private readonly routes = new Map<string, HttpEndpointHandler>();

  /**
   * `base`: the scheme, host and port getUrl announces (KMS' announcedAddress and port). `onChange`: told of every
   * path added or removed (a pipeline worker tells the protocol thread, which serves the port and forwards to it).
   */
  constructor(
    private readonly base: () => string,
    private readonly onChange?: (path: string, added: boolean) => void,
  ) {}

  /** Registers a handler; returns its path and the URL clients use. */
  register(handler: HttpEndpointHandler): { path: string; url: string } {
    const path = `${HTTP_ENDPOINT_PREFIX}${randomUUID()}`;
    this.route(path, handler);
    return { path, url: `${this.base()}${path}` };
  }

  /** Serves `path` (one under /kurento-http/) with `handler`. */
  route(path: string, handler: HttpEndpointHandler): void {
    if (!path.startsWith(HTTP_ENDPOINT_PREFIX)) throw new Error(`HttpEndpoint paths start with ${HTTP_ENDPOINT_PREFIX}`);
    this.routes.set(path, handler);
    this.onChange?.(path, true);
  }

  unregister(path: string): void {
    if (this.routes.delete(path)) this.onChange?.(path, false);
  }

  get size(): number {
    return this.routes.size;
  }

  /** Handles a request whose path is under /kurento-http/; returns false for any other path (not ours). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (!pathname.startsWith(HTTP_ENDPOINT_PREFIX)) return false;
    const handler = this.routes.get(pathname);
    if (!handler) {
      req.resume();
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Access-Control-Allow-Origin': '*' }).end('No HttpEndpoint has this URL (it was released, or its session expired)\n');
      return true;
    }
    handler(req, res);
    return true;
  }
}
