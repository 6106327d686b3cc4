// lib/socket-tracker.ts: the sockets a wrapped undici connector opens are kept until they close, and
// destroyAll() ends them, connecting ones included; after it the connector opens nothing.
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildConnector } from 'undici';
import { ClosedError } from '../../lib/errors';
import { SocketTracker } from '../../lib/socket-tracker';
import { until } from '../helpers/wait';

describe('lib/socket-tracker', () => {
  let server: net.Server;
  let port: number;
  const accepted: net.Socket[] = [];
  const closed = new Set<net.Socket>();

  before(async () => {
    // Accepts TCP and never speaks: a TLS handshake to it stays under way.
    server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.on('close', () => closed.add(socket));
      socket.resume(); // reads (and drops) the ClientHello, so that the client's close reaches 'close'
      accepted.push(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('destroys a socket still in its TLS handshake, and the connector refuses new ones', async () => {
    const tracker = new SocketTracker();
    const connect = tracker.wrap(buildConnector({ timeout: 30_000 }));
    const outcome = new Promise<Error | null>((resolve) =>
      connect({ hostname: '127.0.0.1', host: '127.0.0.1', protocol: 'https:', port: String(port) }, (...args) =>
        resolve(args[0]),
      ),
    );
    const before = accepted.length;
    await until('the server to accept', () => accepted.length > before);
    assert.equal(tracker.size, 1);
    tracker.destroyAll();
    assert.equal(tracker.size, 0);
    assert.ok((await outcome) instanceof Error, 'the pending connect fails');
    const serverSide = accepted[accepted.length - 1]!;
    await until('the server to see the socket close', () => closed.has(serverSide));

    const refused = await new Promise<Error | null>((resolve) =>
      connect({ hostname: '127.0.0.1', host: '127.0.0.1', protocol: 'https:', port: String(port) }, (...args) =>
        resolve(args[0]),
      ),
    );
    assert.ok(refused instanceof ClosedError);
  });

  it('forgets a socket once it closes by itself', async () => {
    const tracker = new SocketTracker();
    const connect = tracker.wrap(buildConnector({ timeout: 30_000 }));
    const socket = await new Promise<net.Socket>((resolve, reject) =>
      connect({ hostname: '127.0.0.1', host: '127.0.0.1', protocol: 'http:', port: String(port) }, (err, s) =>
        err ? reject(err) : resolve(s),
      ),
    );
    assert.equal(tracker.size, 1);
    socket.destroy();
    await until('the tracker to drop it', () => tracker.size === 0);
  });
});
