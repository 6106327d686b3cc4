// Turns errors from undici, ws and Node's net/tls layers into NetworkError / TimeoutError / TlsError
// with a message an operator can act on. Shared by the REST transport and the WebSocket.
import { AnalyticsError, NetworkError, ProxyError, TimeoutError, TlsError } from './errors';

const TLS_CODES: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate chain ends in an untrusted (self-signed) root',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not signed by a trusted CA',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer of the server certificate is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of the server certificate is not trusted',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not match the host name',
  CERT_SIGNATURE_FAILURE: 'the server certificate signature is invalid',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS on this port',
};

const CA_ADVICE =
  'Configure the CA certificate that signed the server certificate (or, in a lab only, turn off "verify server certificate").';
/** OpenSSL's codes for a peer that answered a TLS hello with something else (plain HTTP, another protocol). */
const NOT_TLS: ReadonlySet<string> = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
]);
const PORT_ADVICE = 'Check that the host and port of the URL serve HTTPS (not plain HTTP or another protocol).';

const TIMEOUT_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'response headers',
  UND_ERR_BODY_TIMEOUT: 'response body',
  ETIMEDOUT: 'connect',
};

/**
 * @param err   whatever the transport threw
 * @param where e.g. "GET https://host/orca-streams-rest/sources" (already free of secrets)
 */
export function toNetworkError(err: unknown, where: string): AnalyticsError {
  if (err instanceof AnalyticsError) return err;
  const code = errorCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  const tls = code ? TLS_CODES[code] : undefined;
  if (tls || (code && /CERT|SSL|TLS/.test(code))) {
    const why = tls ?? `TLS failure (${detail})`;
    // A port that does not answer in TLS is not mended with a CA.
    const advice = NOT_TLS.has(code as string) ? PORT_ADVICE : CA_ADVICE;
    return new TlsError(code as string, `TLS: ${why} [${code}] on ${where}. ${advice}`, { cause: err });
  }
  const phase = code ? TIMEOUT_CODES[code] : undefined;
  if (phase) return new TimeoutError(code as string, `timeout waiting for ${phase} on ${where}`, { cause: err });
  if (err instanceof Error && err.message.includes('Opening handshake has timed out'))
    return handshakeTimeout(where, undefined, err);
  return new NetworkError(
    code ?? 'UNKNOWN',
    `network error on ${where}: ${code ?? ''}${code ? ' ' : ''}${detail}`.trim(),
    { cause: err },
  );
}

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  // undici and AggregateError may nest the real cause one or two levels deep.
  for (let depth = 0; depth < 3 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR') return code;
    const inner = (e as { cause?: unknown; errors?: unknown[] }).cause ?? (e as { errors?: unknown[] }).errors?.[0];
    if (!inner) return typeof code === 'string' ? code : undefined;
    e = inner;
  }
  return undefined;
}

/** Network codes that, on a proxied connection, mean the proxy itself could not be reached. */
const PROXY_UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);
const PROXY_STATUS_TEXT: Record<number, string> = {
  403: 'Forbidden (the proxy does not allow this tunnel)',
  407: 'Proxy Authentication Required (wrong or missing proxy credentials)',
  502: 'Bad Gateway (the proxy could not reach the server)',
  503: 'Service Unavailable',
  504: 'Gateway Timeout (the proxy timed out reaching the server)',
};

/**
 * The proxy's refusal of a CONNECT with `status`. A 401 to a CONNECT can only be the proxy's (the
 * server has seen nothing yet): some proxies (tinyproxy) answer wrong credentials so, where the
 * standard says 407. It counts as 407; the message keeps the status the proxy sent.
 */
export function proxyRefused(status: number, proxy: string, where: string): ProxyError {
  const effective = status === 401 ? 407 : status;
  const text = PROXY_STATUS_TEXT[effective] ?? '';
  return new ProxyError(
    `PROXY_${effective}`,
    `proxy ${proxy} refused the tunnel for ${where}: HTTP ${status}${text ? ` ${text}` : ''}`,
    { status: effective },
  );
}

/**
 * Like toNetworkError, for a connection made through the proxy `proxy` (its display form): undici's
 * "Proxy response (407) !== 200" and failures to reach the proxy become ProxyError; anything else
 * (TLS to the server through the tunnel, timeouts of the request) stays what it is.
 */
export function toProxiedNetworkError(err: unknown, where: string, proxy: string): AnalyticsError {
  if (err instanceof AnalyticsError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const refused =
    /Proxy response \((\d{3})\)/.exec(message) ?? /Proxy Authentication Required \((\d{3})\)/.exec(message);
  if (refused) return proxyRefused(Number(refused[1]), proxy, where);
  const code = errorCode(err);
  if (code && PROXY_UNREACHABLE.has(code)) {
    const what = TIMEOUT_CODES[code] ? 'timed out' : `unreachable (${code})`;
    return new ProxyError(code, `proxy ${proxy} ${what} for ${where}`, { cause: err });
  }
  return toNetworkError(err, where);
}

/** The WebSocket handshake did not complete in time: ws's idle timeout, or StreamSocket's total deadline of `ms`. */
export function handshakeTimeout(where: string, ms?: number, cause?: unknown): TimeoutError {
  const within = ms === undefined ? '' : ` (${ms} ms)`;
  return new TimeoutError('HANDSHAKE_TIMEOUT', `timeout waiting for the WebSocket handshake on ${where}${within}`, {
    cause,
  });
}
