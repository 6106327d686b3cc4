// The transport policy for the WebSocket endpoint that a subscription response names. The token
// travels in the subscriptionRedirect frames on that socket, so the endpoint decides who gets it:
//  - under an https:// REST URL the endpoint must be wss:// (the guide: all communication is
//    encrypted); a ws:// endpoint is refused, not upgraded, since the server meant something else;
//  - the endpoint must be on the REST URL's host, or on one the user allowed explicitly (a cluster
//    whose streams run on other nodes). Any port of an allowed host is accepted.
// TLS to the endpoint uses the same options as REST (see wsOptions in stream-socket.ts).
import { TransportPolicyError } from '../errors';
import { safeUrl } from '../redact';

/**
 * The ws(s) URL to open for `endpoint` (http(s) → ws(s); relative to the REST URL), or a
 * TransportPolicyError when the policy forbids it.
 * @param allowedHosts lower-case host names allowed besides the REST host
 */
export function streamEndpoint(endpoint: string, restUrl: string, allowedHosts: readonly string[]): string {
  const rest = new URL(restUrl);
  let u: URL;
  try {
    u = new URL(endpoint, restUrl);
  } catch {
    throw new TransportPolicyError('foreign', `the WebSocket endpoint "${endpoint.slice(0, 100)}" is not a URL`);
  }
  if (u.protocol === 'https:') u.protocol = 'wss:';
  else if (u.protocol === 'http:') u.protocol = 'ws:';
  const shown = safeUrl(u.toString());
  if (u.protocol !== 'wss:' && u.protocol !== 'ws:') {
    throw new TransportPolicyError('foreign', `the WebSocket endpoint ${shown} is not a ws(s):// URL`);
  }
  if (rest.protocol === 'https:' && u.protocol !== 'wss:') {
    throw new TransportPolicyError(
      'insecure',
      `refused the unencrypted WebSocket endpoint ${shown}: the REST URL is https://, so the stream must be wss:// (no token was sent)`,
    );
  }
  const host = bareHost(u.hostname);
  if (host !== bareHost(rest.hostname) && !allowedHosts.includes(host)) {
    throw new TransportPolicyError(
      'foreign',
      `refused the WebSocket endpoint ${shown}: ${host} is not the REST host ${bareHost(rest.hostname)} nor in the server's allowed stream hosts (no token was sent)`,
    );
  }
  return u.toString();
}

/** Host names compare case-insensitively; IPv6 literals without their brackets. */
function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[|\]$/g, '');
}
