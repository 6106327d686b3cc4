// lib/stream/stream-socket.ts: the WebSocket handshake has a total deadline. ws's own handshakeTimeout is
// an idle timeout on the socket, which a server dripping one header byte at a time never lets expire.
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { TimeoutError } from '../../../lib/errors';
import { resolveOptions } from '../../../lib/options';
import { StreamSocket, type CloseInfo } from '../../../lib/stream/stream-socket';

describe('lib/stream handshake deadline', function () {
  this.timeout(10_000);
  let server: net.Server;
  const drips = new Set<NodeJS.Timeout>();

  beforeEach(async () => {
    server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => {
        socket.write('HTTP/1.1 101 Switching Protocols\r\nX-Drip: ');
        const drip = setInterval(() => socket.write('a'), 50); // well inside ws's idle timeout
        drips.add(drip);
        socket.on('close', () => clearInterval(drip));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    for (const drip of drips) clearInterval(drip);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('terminates a handshake whose headers drip in, at handshakeMs, as a handshake timeout', async () => {
    const { port } = server.address() as AddressInfo;
    const options = resolveOptions({
      url: `http://127.0.0.1:${port}/orca-streams-rest`,
      allowCleartext: true,
      username: 'u',
      password: 'p',
      timeouts: { handshakeMs: 400 },
    });
    let opened = false;
    const closed = new Promise<CloseInfo>((resolve) => {
      new StreamSocket(`ws://127.0.0.1:${port}/orca-streams-rest/ws`, options, {
        onOpen: () => (opened = true),
        onMessage: () => {},
        onStale: () => {},
        onClose: resolve,
      });
    });
    const info = await closed; // before the fix: never (mocha's timeout)
    assert.equal(opened, false);
    assert.ok(info.error instanceof TimeoutError, String(info.error));
    assert.equal(info.error.reason, 'HANDSHAKE_TIMEOUT');
    assert.match(info.error.message, /WebSocket handshake .*\(400 ms\)/);
  });
});
