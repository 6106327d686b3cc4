// The sockets undici's connectors open for one transport (REST, or a WebSocket's proxy tunnel), so that
// close() can destroy them all.
// Why: Agent.destroy() and ProxyAgent.destroy() close the connections undici holds, but not one whose
// connect is still running (the connector owns the socket until it calls back). A server that accepts
// and then never finishes the TLS handshake kept the client's socket open after close() for up to
// connectMs (10 s by default): a Node-RED redeploy got its done() with a socket still open.
import type { Duplex } from 'node:stream';
import type { buildConnector } from 'undici';
import { ClosedError } from './errors';

/** undici's connector returns the socket it opened (its type says void). */
type Connect = (options: buildConnector.Options, callback: buildConnector.Callback) => Duplex | undefined;

export class SocketTracker {
  private readonly sockets = new Set<Duplex>();
  private closed = false;

  /** A connector that makes its sockets with `connect` and keeps each until it closes. */
  wrap(connect: buildConnector.connector): buildConnector.connector {
    return (options, callback) => {
      if (this.closed) {
        callback(new ClosedError('the client is closed'), null);
        return;
      }
      const socket = (connect as unknown as Connect)(options, callback);
      if (socket === undefined || socket === null) return;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    };
  }

  /** Open sockets, connecting ones included. */
  get size(): number {
    return this.sockets.size;
  }

  /**
   * Destroys every socket, and makes the connector refuse new ones. With an error: a connector still
   * connecting calls back only on 'error' (or success), so its caller learns of the close at once.
   */
  destroyAll(): void {
    this.closed = true;
    for (const socket of this.sockets) {
      socket.on('error', ignore); // whoever holds an established socket may have no listener
      socket.destroy(new ClosedError('the client is closed'));
    }
    this.sockets.clear();
  }
}

function ignore(): void {}
