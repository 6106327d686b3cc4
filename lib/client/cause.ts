// Classifies a fault into a FaultCause (api.ts): a kind a program can switch on, the value a short
// status shows (HTTP status, timeout phase, count) and an English short form. Node-RED nodes
// translate kind + value themselves; `short` is for everyone else (logs, control events).
import type { FaultCause, FaultKind } from '../api';
import {
  AuthenticationError,
  HttpError,
  LOGIN_NOT_FOUND,
  NetworkError,
  ProtocolError,
  ProxyError,
  StreamError,
  TimeoutError,
  TlsError,
  TokenError,
  TransportPolicyError,
} from '../errors';

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** Timeout error reasons (network-error.ts, http-transport.ts) → the phase that timed out. */
const TIMEOUT_PHASES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  ETIMEDOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
  REQUEST_DEADLINE: 'deadline',
  HANDSHAKE_TIMEOUT: 'handshake',
};

/**
 * undici's code for a connection the other side closed without an answer (its inner cause, when there is one,
 * is the code shown instead: ECONNRESET…). Its name means nothing to a user: it shows as "connection dropped".
 */
export const DROPPED = 'UND_ERR_SOCKET';

/** The English short form of a kind and value (kept under ~20 characters). */
export function shortText(kind: FaultKind, value?: string | number): string {
  switch (kind) {
    case 'tls-untrusted':
      return 'TLS: untrusted CA';
    case 'tls-hostname':
      return 'TLS: wrong host name';
    case 'tls-expired':
      return 'TLS: cert expired';
    case 'tls':
      return 'TLS error';
    case 'http':
      return `HTTP ${value}`;
    case 'login-refused':
      return 'login refused';
    case 'wrong-path':
      return 'HTTP 404: wrong path';
    case 'bad-token':
      return 'bad token';
    case 'timeout':
      return `timeout: ${value}`;
    case 'network':
      return value === DROPPED ? 'connection dropped' : String(value ?? 'network error');
    case 'protocol':
      return 'protocol error';
    case 'no-source':
      return 'no source';
    case 'body-too-large':
      return 'body too large';
    case 'server-error':
      return `server error ${value}`;
    case 'frame-too-large':
      return 'frame too large';
    case 'bad-frames':
      return `bad frames: ${value}`;
    case 'dropped-input':
      return `dropped: ${value}`;
    case 'insecure-endpoint':
      return 'ws:// refused';
    case 'foreign-endpoint':
      return 'foreign WS host';
    case 'handshake':
      return `WS HTTP ${value}`;
    case 'no-heartbeat':
      return 'no heartbeat';
    case 'closed':
      return 'closed by server';
    case 'by-flow':
      return 'by flow';
    case 'proxy':
      return `proxy: ${value}`;
  }
}

export function makeCause(kind: FaultKind, detail: string, value?: string | number): FaultCause {
  const cause: FaultCause = { kind, short: shortText(kind, value), detail };
  if (value !== undefined) cause.value = value;
  return cause;
}

/** The cause of a thrown error; `detail` is its already-redacted text. */
export function causeOf(err: unknown, detail: string): FaultCause {
  if (err instanceof TlsError) {
    if (UNTRUSTED.has(err.reason)) return makeCause('tls-untrusted', detail);
    if (err.reason === 'ERR_TLS_CERT_ALTNAME_INVALID') return makeCause('tls-hostname', detail);
    if (EXPIRED.has(err.reason)) return makeCause('tls-expired', detail);
    return makeCause('tls', detail);
  }
  if (err instanceof ProxyError) {
    const value = err.status ?? (TIMEOUT_PHASES[err.reason] ? 'timeout' : err.reason);
    return makeCause('proxy', detail, value);
  }
  if (err instanceof TimeoutError) return makeCause('timeout', detail, TIMEOUT_PHASES[err.reason] ?? 'connect');
  if (err instanceof NetworkError) return makeCause('network', detail, err.reason);
  if (err instanceof AuthenticationError) return makeCause('login-refused', detail, err.status);
  if (err instanceof HttpError && err.code === LOGIN_NOT_FOUND) return makeCause('wrong-path', detail, err.status);
  if (err instanceof HttpError) return makeCause('http', detail, err.status);
  if (err instanceof TokenError) return makeCause('bad-token', detail);
  if (err instanceof TransportPolicyError)
    return makeCause(err.kind === 'insecure' ? 'insecure-endpoint' : 'foreign-endpoint', detail);
  if (err instanceof ProtocolError) return makeCause(err.kind, detail);
  if (err instanceof StreamError)
    return err.status !== undefined ? makeCause('handshake', detail, err.status) : makeCause('closed', detail);
  return makeCause('protocol', detail);
}
