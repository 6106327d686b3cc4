// HTTPS transport of the REST interface: one undici Agent per client (TLS settings, connect/headers/body
// timeouts), every request through the 100 ms RequestQueue, bounded response bodies and typed errors
// whose text never contains the query string (the login query carries the password).
// Besides undici's headers and idle-body timeouts, every request has a total deadline (requestMs): a
// body dripping one byte a second never trips the idle timeout, and would otherwise hold the request
// (and the queue behind it) open for as long as the server likes.
import { Agent, buildConnector, Pool, ProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import { ClosedError, HttpError, ProtocolError, TimeoutError } from '../errors';
import { toNetworkError, toProxiedNetworkError } from '../network-error';
import type { ResolvedOptions } from '../options';
import type { ResolvedProxy } from '../proxy';
import type { Redactor } from '../redact';
import { errorMessageFromBody } from './error-body';
import { RequestQueue } from './request-queue';
import { SocketTracker } from '../socket-tracker';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, already URL-encoded, starting with '/'. */
  path: string;
  query?: Record<string, string>;
  /** Sent as "Authorization: Bearer …". */
  token?: string;
  /** JSON body. */
  body?: unknown;
}

/** What a caller may add to a request's own deadline and body bound (a JWKS fetch: jose's timeout, a smaller body). */
export interface RequestLimits {
  /** Ends the request early. */
  signal?: AbortSignal;
  /** Largest body, below maxResponseBytes. */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  contentType: string | undefined;
  text: string;
}

/** tls.connect() options of the tls-config (trust, client certificate, PFX, SNI), shared with the WebSocket. */
export function tlsSecureOptions(o: ResolvedOptions): Record<string, unknown> {
  const t = o.tls;
  const out: Record<string, unknown> = { rejectUnauthorized: t.rejectUnauthorized };
  if (t.ca !== undefined) out.ca = t.ca;
  if (t.cert !== undefined) out.cert = t.cert;
  if (t.key !== undefined) out.key = t.key;
  if (t.pfx !== undefined) out.pfx = t.pfx;
  if (t.passphrase !== undefined) out.passphrase = t.passphrase;
  if (t.servername !== undefined) out.servername = t.servername;
  return out;
}

/**
 * Undici connect options: the tls-config's plus the connect timeout. (Undici always offers ALPN
 * http/1.1 itself, which is what REST speaks; the WebSocket offers the tls-config's ALPN protocol.)
 */
export function tlsConnectOptions(o: ResolvedOptions): Record<string, unknown> {
  return { ...tlsSecureOptions(o), timeout: o.connectMs };
}

export class HttpTransport {
  /** Direct connections. */
  readonly agent: Agent;
  /** Through the proxy, by its origin (made when first needed: usually none or one). */
  private readonly proxied = new Map<string, ProxyAgent>();
  private readonly queue: RequestQueue;
  /** Every socket the agents' connectors opened, connecting ones included (see socket-tracker.ts). */
  private readonly sockets = new SocketTracker();
  /** close() was called: what fails from then on fails because of it. */
  private closed = false;
  private readonly origin: string;
  private readonly basePath: string;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly redactor: Redactor,
  ) {
    const base = new URL(options.url);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.agent = new Agent({
      connect: this.sockets.wrap(buildConnector(tlsConnectOptions(options))),
      headersTimeout: options.headersMs,
      bodyTimeout: options.bodyMs,
    });
    this.queue = new RequestQueue(options.requestSpacingMs, options.clock);
  }

  /** Performs a REST request (staggered) and returns the parsed JSON body (undefined when empty). */
  async json(req: HttpRequest): Promise<unknown> {
    const res = await this.queue.run(() => this.send(this.origin, this.basePath + req.path, req));
    return parseJsonBody(res, `${req.method} ${this.basePath}${req.path}`);
  }

  /**
   * GET of an absolute URL through the same agent (JWKS), not staggered: it is not the REST interface.
   * `signal` ends it early (the caller's own timeout); `maxBytes` bounds its body below maxResponseBytes.
   */
  async getAbsolute(url: string, limits: RequestLimits = {}): Promise<HttpResponse> {
    const u = new URL(url);
    return this.send(u.origin, u.pathname + u.search, { method: 'GET', path: u.pathname }, limits);
  }

  private async send(
    origin: string,
    fullPath: string,
    req: HttpRequest,
    limits: RequestLimits = {},
  ): Promise<HttpResponse> {
    const where = `${req.method} ${origin}${fullPath.split('?')[0]}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const path = req.query ? `${fullPath}?${new URLSearchParams(req.query).toString()}` : fullPath;
    const deadline = new AbortController();
    const deadlineMs = this.options.requestMs;
    const timer = this.options.clock.setTimeout(() => deadline.abort(), deadlineMs);
    const proxy = this.options.proxy.forUrl(origin);
    const failure = (err: unknown): Error =>
      this.closed
        ? new ClosedError(`${this.redactor.redact(where)}: abandoned, the client is closed`)
        : deadline.signal.aborted
          ? new TimeoutError(
              'REQUEST_DEADLINE',
              `timeout: no complete response within the total deadline of ${deadlineMs} ms on ${this.redactor.redact(where)}`,
              { cause: err },
            )
          : proxy
            ? toProxiedNetworkError(err, this.redactor.redact(where), proxy.display)
            : toNetworkError(err, this.redactor.redact(where));
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await this.dispatcher(proxy).request({
        origin,
        path,
        method: req.method,
        headers,
        body,
        signal: limits.signal ? AbortSignal.any([deadline.signal, limits.signal]) : deadline.signal,
      });
      text = await readBounded(response.body, limits.maxBytes ?? this.options.maxResponseBytes, where);
    } catch (err) {
      throw failure(err);
    } finally {
      this.options.clock.clearTimeout(timer);
    }
    const contentType = headerValue(response.headers['content-type']);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const message = errorMessageFromBody(text, contentType, (t) => this.redactor.redact(t));
      throw new HttpError(response.statusCode, req.method, fullPath.split('?')[0] ?? fullPath, message);
    }
    return { status: response.statusCode, contentType, text };
  }

  /**
   * The agent for a request: direct, or a ProxyAgent that tunnels (CONNECT) through the proxy with
   * the tls-config verifying the server end to end (requestTls), and the connect timeout to the proxy.
   */
  private dispatcher(proxy: ResolvedProxy | null): Dispatcher {
    if (!proxy) return this.agent;
    let agent = this.proxied.get(proxy.origin);
    if (!agent) {
      agent = new ProxyAgent({
        uri: proxy.origin,
        ...(proxy.authorization ? { token: proxy.authorization } : {}),
        proxyTls: { timeout: this.options.connectMs },
        // The connection to the proxy, made by this connector: tracked, so close() ends a CONNECT in progress
        // (TLS to the server runs inside that socket and ends with it).
        clientFactory: (origin: URL, opts: object) =>
          new Pool(origin, {
            ...opts,
            connect: this.sockets.wrap((opts as { connect: buildConnector.connector }).connect),
          }),
        requestTls: tlsConnectOptions(this.options),
        headersTimeout: this.options.headersMs,
        bodyTimeout: this.options.bodyMs,
      });
      this.proxied.set(proxy.origin, agent);
    }
    return agent;
  }

  /** Refuses queued requests and destroys the agents (in-flight requests fail with ClosedError-like errors). */
  close(): Promise<void> {
    this.closed = true;
    this.queue.close();
    const agents: Dispatcher[] = [this.agent, ...this.proxied.values()];
    const destroyed = Promise.all(agents.map((a) => a.destroy().catch(() => undefined)));
    this.sockets.destroyAll(); // and the ones still connecting, which destroy() leaves
    return destroyed.then(() => undefined);
  }
}

export function parseJsonBody(res: HttpResponse, where: string): unknown {
  const text = res.text.trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A 2xx with a non-JSON body: return the text when the server says so, else it is a protocol fault.
    if (res.contentType && !res.contentType.includes('json')) return text;
    throw new ProtocolError(`invalid JSON in the response to ${where}`);
  }
}

async function readBounded(body: Dispatcher.ResponseData['body'], limit: number, where: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new ProtocolError(`response to ${where.split('?')[0]} exceeds ${limit} bytes`, { kind: 'body-too-large' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
