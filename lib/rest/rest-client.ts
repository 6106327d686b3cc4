// The REST interface of one supervisor: login, sources, producers, subscribe, unsubscribe, dictionary,
// dimension data. Every authenticated call gets the current token (renewed before expiry) and, when
// the server answers 401 anyway, logs in once more and retries once.
import type { AnalyticsRestClient } from '../api';
import { AuthenticationError, HttpError, LOGIN_NOT_FOUND, ProtocolError } from '../errors';
import type { ResolvedOptions } from '../options';
import { Redactor } from '../redact';
import { TokenManager } from '../token/token-manager';
import { createTokenVerifier } from '../token/token-verifier';
import { paths } from './endpoints';
import { HttpTransport } from './http-transport';

/** What POST …/subscriptions returns; every field is copied into the WebSocket redirects. */
export interface SubscriptionResponse {
  source?: string;
  sourceId: string;
  producer?: string;
  producerId: string;
  streamType?: string;
  version?: string;
  transport?: string;
  endpoint: string;
  guid: string;
}

/** The fields the guide tells us to copy from the SubscriptionResponse into (un)subscriptionRedirect. */
export const REDIRECT_FIELDS = [
  'source',
  'sourceId',
  'producer',
  'producerId',
  'streamType',
  'version',
  'transport',
  'endpoint',
  'guid',
] as const;

export class RestClient implements AnalyticsRestClient {
  readonly tokens: TokenManager;
  readonly transport: HttpTransport;
  private sourcesCache: Promise<string> | null = null;
  private loginCount = 0;

  constructor(
    readonly options: ResolvedOptions,
    readonly redactor: Redactor = new Redactor(),
  ) {
    redactor.add(options.password);
    for (const secret of options.proxy.secrets()) redactor.add(secret);
    this.transport = new HttpTransport(options, redactor);
    const verifier = createTokenVerifier(options.tokenVerification, (url, limits) =>
      this.transport.getAbsolute(url, limits),
    );
    this.tokens = new TokenManager(
      () => this.fetchToken(),
      verifier,
      options.tokenRefreshLeadMs,
      redactor,
      () => options.clock.now(),
    );
  }

  /** Logins performed so far (for stats). */
  get logins(): number {
    return this.loginCount;
  }

  /** Logs in now (also "test connection"): returns the token's subject and expiry, never the token. */
  async login(): Promise<{ subject: string; expiresAt: number }> {
    const info = await this.tokens.refresh();
    return { subject: info.subject, expiresAt: info.expiresAt };
  }

  async sources(): Promise<unknown[]> {
    const body = await this.authed((token) =>
      this.transport.json({ method: 'GET', path: paths.sources(), query: this.query(), token }),
    );
    return asArray(body, 'sources', 'GET /sources');
  }

  /** The first source's id (the guide: 4.x has exactly one source). Cached; a failure is not. */
  defaultSourceId(): Promise<string> {
    if (!this.sourcesCache) {
      const p = this.sources().then((list) => {
        const id = list.map(sourceIdOf).find((s) => s !== undefined);
        if (!id) throw new ProtocolError('GET /sources returned no source with a sourceId', { kind: 'no-source' });
        return id;
      });
      p.catch(() => {
        if (this.sourcesCache === p) this.sourcesCache = null;
      });
      this.sourcesCache = p;
    }
    return this.sourcesCache;
  }

  async producers(sourceId?: string): Promise<unknown[]> {
    const source = sourceId ?? (await this.defaultSourceId());
    const body = await this.authed((token) =>
      this.transport.json({ method: 'GET', path: paths.producers(source), query: this.query(), token }),
    );
    return asArray(body, 'producers', 'GET producers');
  }

  async subscribe(sourceId: string, producerId: string): Promise<SubscriptionResponse> {
    const request = {
      sourceId,
      producerId,
      streamType: 'SoD',
      transport: 'websocket',
      tenantId: this.options.tenant,
      username: this.options.username,
      dimensionFilters: [],
      measureFilters: [],
    };
    const body = await this.authed((token) =>
      this.transport.json({
        method: 'POST',
        path: paths.subscriptions(sourceId, producerId),
        query: this.query(),
        token,
        body: request,
      }),
    );
    return checkSubscriptionResponse(body, sourceId, producerId);
  }

  /** Stage two of unsubscribing. A 404 (nothing to delete) counts as done. */
  async unsubscribe(sourceId: string, producerId: string): Promise<void> {
    try {
      await this.authed((token) =>
        this.transport.json({
          method: 'DELETE',
          path: paths.subscriptions(sourceId, producerId),
          query: this.query(),
          token,
        }),
      );
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) return;
      throw err;
    }
  }

  async dictionary(producerId: string, locale: string, sourceId?: string): Promise<unknown> {
    const source = sourceId ?? (await this.defaultSourceId());
    return this.authed((token) =>
      this.transport.json({
        method: 'GET',
        path: paths.dictionaries(source, producerId),
        query: this.query({ locale }),
        token,
      }),
    );
  }

  async dimdata(kind: string, sourceId?: string): Promise<unknown[]> {
    const source = sourceId ?? (await this.defaultSourceId());
    const body = await this.authed((token) =>
      this.transport.json({ method: 'GET', path: paths.dimdata(source, kind), query: this.query(), token }),
    );
    return asArray(body, 'dimdata', `GET dimdata ${kind}`);
  }

  /** Masks this client's password and tokens in any text. */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  close(): Promise<void> {
    this.tokens.clear();
    return this.transport.close();
  }

  /** Runs `call` with a valid token; on 401 logs in again and retries exactly once. */
  async authed<T>(call: (token: string) => Promise<T>): Promise<T> {
    const first = await this.tokens.get();
    try {
      return await call(first.token);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 401) throw err;
      this.tokens.invalidate(first.token);
      const second = await this.tokens.refresh();
      return call(second.token);
    }
  }

  private query(extra?: Record<string, string>): Record<string, string> {
    return { tenant: this.options.tenant, ...extra };
  }

  private async fetchToken(): Promise<string> {
    this.loginCount++;
    const { tenant, username, password } = this.options;
    let body: unknown;
    try {
      body = await this.transport.json({ method: 'GET', path: paths.login(), query: { tenant, username, password } });
    } catch (err) {
      if (err instanceof HttpError && (err.status === 401 || err.status === 403)) {
        throw new AuthenticationError(err.status, err.method, err.path, err.serverMessage);
      }
      if (err instanceof HttpError && err.status === 404)
        throw new HttpError(404, err.method, err.path, err.serverMessage, LOGIN_NOT_FOUND);
      throw err;
    }
    const token = tokenOf(body);
    if (!token) throw new ProtocolError('the login response has no "authdata" token');
    return token;
  }
}

function tokenOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (!body || typeof body !== 'object') return undefined;
  const o = body as Record<string, unknown>;
  for (const field of ['authdata', 'authData', 'token', 'access_token']) {
    const v = o[field];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

function sourceIdOf(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object') {
    const id = (entry as Record<string, unknown>).sourceId;
    if (typeof id === 'string' && id) return id;
  }
  return undefined;
}

/** Accepts a bare array or an object wrapping one (e.g. {"sources": […]}). */
function asArray(body: unknown, field: string, where: string): unknown[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    if (Array.isArray(o[field])) return o[field] as unknown[];
    const arrays = Object.values(o).filter(Array.isArray);
    if (arrays.length === 1) return arrays[0] as unknown[];
  }
  throw new ProtocolError(`${where} did not return a list`);
}

function checkSubscriptionResponse(body: unknown, sourceId: string, producerId: string): SubscriptionResponse {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ProtocolError(`subscription to ${producerId}: the response is not an object`);
  const o = body as Record<string, unknown>;
  if (typeof o.endpoint !== 'string' || !o.endpoint)
    throw new ProtocolError(`subscription to ${producerId}: the response has no endpoint`);
  if (typeof o.guid !== 'string' || !o.guid)
    throw new ProtocolError(`subscription to ${producerId}: the response has no guid`);
  const out = Object.create(null) as Record<string, string>;
  for (const field of REDIRECT_FIELDS) {
    const v = o[field];
    if (typeof v === 'string') out[field] = v;
  }
  out.sourceId ??= sourceId;
  out.producerId ??= producerId;
  return out as unknown as SubscriptionResponse;
}
