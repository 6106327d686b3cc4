// Turns errors from undici, ws and Node's net/tls layers into NetworkError / TimeoutError / TlsError
// with a message an operator can act on. Shared by the REST transport and the WebSocket.
import { AnalyticsError, NetworkError, TimeoutError, TlsError } from './errors';

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
    return new TlsError(code as string, `TLS: ${why} [${code}] on ${where}. Configure the CA certificate that signed the server certificate (or, in a lab only, turn off "verify server certificate").`, { cause: err });
  }
  const phase = code ? TIMEOUT_CODES[code] : undefined;
  if (phase) return new TimeoutError(code as string, `timeout waiting for ${phase} on ${where}`, { cause: err });
  if (err instanceof Error && err.message.includes('Opening handshake has timed out')) {
    return new TimeoutError('HANDSHAKE_TIMEOUT', `timeout waiting for the WebSocket handshake on ${where}`, { cause: err });
  }
  return new NetworkError(code ?? 'UNKNOWN', `network error on ${where}: ${code ?? ''}${code ? ' ' : ''}${detail}`.trim(), { cause: err });
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
