// The WebSocket through an HTTP proxy: undici's Client sends the CONNECT (undici parses the proxy's
// answer; no hand-written HTTP here) and hands back the raw tunnel socket; TLS to the Avaya endpoint
// then runs inside the tunnel with the same tls-config as without a proxy (end-to-end verification,
// SNI = the endpoint's host or the tls-config's server name). ws gets the socket through its
// `createConnection` option, which Node's http client lets answer asynchronously (a callback).
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { buildConnector, Client } from 'undici';
import { ClosedError } from '../errors';
import { proxyRefused, toProxiedNetworkError } from '../network-error';
import type { ResolvedOptions } from '../options';
import type { ResolvedProxy } from '../proxy';
import { tlsSecureOptions } from '../rest/http-transport';
import { SocketTracker } from '../socket-tracker';

type Callback = (err: Error | null, socket?: Duplex) => void;

/**
 * A ws `createConnection` that tunnels through `proxy`; `where` names the socket in errors. `signal`: the
 * WebSocket is gone (closed, terminated, or past its handshake deadline), so a CONNECT still running is
 * abandoned and its socket destroyed, instead of living until the proxy answers or handshakeMs passes.
 */
export function tunnelConnection(
  proxy: ResolvedProxy,
  o: ResolvedOptions,
  secure: boolean,
  where: string,
  signal: AbortSignal,
) {
  return (opts: { host?: string; port?: number | string }, callback: Callback): undefined => {
    const host = String(opts.host ?? '');
    const port = Number(opts.port) || (secure ? 443 : 80);
    openTunnel(proxy, o, host, port, where, signal).then(
      (raw) => {
        if (signal.aborted) {
          raw.destroy();
          callback(new ClosedError(`${where}: closed while its proxy tunnel opened`));
          return;
        }
        if (!secure) {
          callback(null, raw);
          return;
        }
        const servername = o.tls.servername ?? (isIP(host) ? undefined : host);
        const socket = tls.connect({
          ...tlsSecureOptions(o),
          ...(o.tls.ALPNProtocols ? { ALPNProtocols: o.tls.ALPNProtocols } : {}),
          socket: raw,
          host,
          port,
          ...(servername ? { servername } : {}),
        });
        callback(null, socket);
      },
      (err: Error) => callback(err),
    );
    return undefined;
  };
}

/** CONNECT host:port through the proxy: the tunnel's raw socket, or a ProxyError. */
async function openTunnel(
  proxy: ResolvedProxy,
  o: ResolvedOptions,
  host: string,
  port: number,
  where: string,
  signal: AbortSignal,
): Promise<Socket> {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  // The connection to the proxy is tracked: client.destroy() alone leaves one still being made open.
  const sockets = new SocketTracker();
  const client = new Client(proxy.origin, {
    connect: sockets.wrap(buildConnector({ timeout: o.connectMs })),
    headersTimeout: o.handshakeMs,
  });
  const abandon = (): void => {
    sockets.destroyAll();
    void client.destroy().catch(() => undefined);
  };
  signal.addEventListener('abort', abandon, { once: true });
  try {
    if (signal.aborted) throw new ClosedError(`${where}: closed before its proxy tunnel opened`);
    const headers: Record<string, string> = { host: authority };
    if (proxy.authorization) headers['proxy-authorization'] = proxy.authorization;
    const { statusCode, socket } = await client.connect({ path: authority, headers });
    if (statusCode !== 200) {
      socket.on('error', () => undefined).destroy();
      throw proxyRefused(statusCode, proxy.display, where);
    }
    return socket as Socket;
  } catch (err) {
    throw toProxiedNetworkError(err, where, proxy.display);
  } finally {
    signal.removeEventListener('abort', abandon);
    // The tunnel's socket is detached from the client: closing the client leaves it open.
    void client.close().catch(() => undefined);
  }
}
