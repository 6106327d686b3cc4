// Typed errors of the Open Interface client. Every message is built from already-redacted text:
// no error ever carries a password or a token (see redact.ts).

/** Base class: `code` is stable and machine-readable, `message` is for people. */
export class AnalyticsError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The code of an HttpError for a 404 on the login: the URL's path does not lead to the REST API. */
export const LOGIN_NOT_FOUND = 'E_LOGIN_NOT_FOUND';

/** The server answered with a non-2xx status. `serverMessage` is the server's own text (redacted). */
export class HttpError extends AnalyticsError {
  readonly status: number;
  readonly method: string;
  /** Path of the request without its query string (the login query carries the password). */
  readonly path: string;
  readonly serverMessage: string;
  constructor(status: number, method: string, path: string, serverMessage: string, code = 'E_HTTP') {
    const text = serverMessage ? `: ${serverMessage}` : '';
    super(code, `HTTP ${status} on ${method} ${path}${text}`);
    this.status = status;
    this.method = method;
    this.path = path;
    this.serverMessage = serverMessage;
  }
}

/** The server refused the credentials (login answered 401/403). Retrying fast will not help. */
export class AuthenticationError extends HttpError {
  constructor(status: number, method: string, path: string, serverMessage: string) {
    super(status, method, path, serverMessage, 'E_AUTH');
    this.message = `login refused (HTTP ${status})${serverMessage ? `: ${serverMessage}` : ''}`;
  }
}

/** Connection-level failure: DNS, refused, reset, TLS, timeouts. `reason` is the underlying code. */
export class NetworkError extends AnalyticsError {
  readonly reason: string;
  constructor(reason: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'E_NETWORK', message, options);
    this.reason = reason;
  }
}

/** A connect, headers, body or handshake timeout. */
export class TimeoutError extends NetworkError {
  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(reason, message, { ...options, code: 'E_TIMEOUT' });
  }
}

/** The server certificate was not accepted (wrong CA, self-signed, host name mismatch, expired). */
export class TlsError extends NetworkError {
  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(reason, message, { ...options, code: 'E_TLS' });
  }
}

/**
 * The HTTP proxy refused the CONNECT tunnel (`status`: its answer, e.g. 407, 403, 502) or could not be
 * reached (`status` undefined; `reason` is the network code, UND_ERR_CONNECT_TIMEOUT on a timeout).
 * 401/403/407 need someone to act (credentials, proxy policy); the rest are transient.
 */
export class ProxyError extends NetworkError {
  readonly status: number | undefined;
  constructor(reason: string, message: string, options?: { cause?: unknown; status?: number }) {
    super(reason, message, { ...options, code: 'E_PROXY' });
    this.status = options?.status;
  }
}

/** The server said something we cannot use: bad JSON, oversize body, missing fields. */
export class ProtocolError extends AnalyticsError {
  /** 'no-source' (empty /sources), 'body-too-large' or 'protocol' (anything else). */
  readonly kind: 'protocol' | 'no-source' | 'body-too-large';
  constructor(message: string, options?: { cause?: unknown; kind?: 'no-source' | 'body-too-large' }) {
    super('E_PROTOCOL', message, options);
    this.kind = options?.kind ?? 'protocol';
  }
}

/**
 * The WebSocket endpoint of a subscription response breaks the transport policy: plain ws:// under
 * an https:// REST URL ('insecure'), or a host that is neither the REST host nor allowed ('foreign').
 * No socket is opened, so no token is sent.
 */
export class TransportPolicyError extends AnalyticsError {
  constructor(
    readonly kind: 'insecure' | 'foreign',
    message: string,
  ) {
    super('E_TRANSPORT_POLICY', message);
  }
}

/** The token is unusable: not a JWT, failed signature verification, `alg: none`, expired. */
export class TokenError extends AnalyticsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_TOKEN', message, options);
  }
}

/** The WebSocket server sent an error frame ({"code":500,"message":…}) or closed abnormally. */
export class StreamError extends AnalyticsError {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super('E_STREAM', message);
    this.status = status;
  }
}

/** The operation was abandoned because the client was closed. */
export class ClosedError extends AnalyticsError {
  constructor(message = 'client closed') {
    super('E_CLOSED', message);
  }
}

/**
 * Whether retrying later may succeed without anyone changing configuration: network trouble,
 * timeouts, 5xx, 408, 429 and stream faults. TLS and authentication failures are not transient.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof TlsError) return false;
  if (err instanceof ProxyError) return err.status === undefined || ![401, 403, 407].includes(err.status);
  if (err instanceof NetworkError || err instanceof StreamError) return true;
  if (err instanceof AuthenticationError) return false;
  if (err instanceof HttpError) return err.status >= 500 || err.status === 408 || err.status === 429;
  if (err instanceof ProtocolError) return true;
  if (err instanceof TransportPolicyError) return false;
  return false;
}

/** A short description of any thrown value, for reasons and logs. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
