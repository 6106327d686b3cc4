// close() leaves no socket of the client open, whatever each socket was doing: a REST connect stuck in a
// TLS handshake the server never finishes, a WebSocket's proxy CONNECT the proxy never answers, and a
// WebSocket an unsubscribe or disconnect() closed before close() (whose server ignores the closing
// handshake). A Node-RED redeploy gets its done() from close(): a socket still open then is a leak.
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ClosedError, createClient, type AnalyticsClient } from '../../../lib';
import { rawClient, SOURCE_ID, startRawServer, type RawServer } from '../../helpers/raw-server';
import { until } from '../../helpers/wait';

/** The client's own sockets to `port` still open (a server's accepted sockets have it as localPort). */
function clientSocketsTo(port: number): net.Socket[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h): h is net.Socket => h instanceof net.Socket && h.remotePort === port && !h.destroyed);
}

/** A TCP server that accepts and then says nothing (no TLS answer, no CONNECT answer). */
async function silentServer(): Promise<{ port: number; accepted: net.Socket[]; close(): Promise<void> }> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    accepted.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted,
    close: async () => {
      for (const s of accepted) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('lib/client close(): no socket left open', function () {
  this.timeout(20_000);
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let raw: RawServer | null = null;

  beforeEach(async () => {
    silent = await silentServer();
  });

  /** Waits until the client's one socket to the silent server is connecting, closes the client, checks it is gone. */
  async function closeWhileConnecting(client: AnalyticsClient, what: string, outlived: string): Promise<void> {
    await until(what, () => silent.accepted.length === 1 && clientSocketsTo(silent.port).length === 1);
    await client.close();
    assert.deepEqual(clientSocketsTo(silent.port), [], outlived);
  }

  afterEach(async () => {
    await silent.close();
    await raw?.close();
    raw = null;
  });

  it('destroys a REST connection still in its TLS handshake (not connectMs later)', async () => {
    const client = createClient({
      url: `https://127.0.0.1:${silent.port}/orca-streams-rest`,
      username: 'u',
      password: 'p',
      timeouts: { connectMs: 15_000 },
    });
    const login = client.rest.login().catch((err: unknown) => err);
    await closeWhileConnecting(client, 'the TLS handshake under way', 'the handshaking socket outlived close()');
    assert.ok((await login) instanceof ClosedError, 'the login fails because of close(), and says so');
  });

  it('destroys a REST CONNECT the proxy never answers', async () => {
    const client = createClient({
      url: 'https://10.255.0.1/orca-streams-rest', // never reached: the proxy holds the CONNECT
      username: 'u',
      password: 'p',
      proxy: { url: `http://127.0.0.1:${silent.port}` },
    });
    const login = client.rest.login().catch((err: unknown) => err);
    await closeWhileConnecting(client, 'the CONNECT under way', 'the CONNECT socket outlived close()');
    assert.ok((await login) instanceof ClosedError);
  });

  it("destroys a WebSocket's tunnel whose proxy never answers the CONNECT (not handshakeMs later)", async () => {
    raw = await startRawServer();
    const restPort = Number(new URL(raw.restUrl).port);
    const client = rawClient(raw, {
      timeouts: { handshakeMs: 15_000 },
      proxy: { url: `http://127.0.0.1:${silent.port}`, noProxy: [`127.0.0.1:${restPort}`] },
    });
    // The stream endpoint is on another port of the REST host (which the endpoint policy allows): the
    // REST calls go direct, the WebSocket through the silent proxy, where its CONNECT waits.
    raw.override = (req, res) => {
      if (req.method !== 'POST') return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          sourceId: SOURCE_ID,
          producerId: 'Agent_SoD_3.5',
          endpoint: 'wss://127.0.0.1:9/ws',
          guid: 'g1',
        }),
      );
      return true;
    };
    client.subscribe('Agent_SoD_3.5');
    await closeWhileConnecting(client, 'the CONNECT under way', 'the CONNECT socket outlived close()');
  });

  for (const how of ['unsubscribe', 'disconnect'] as const) {
    it(`waits for the WebSocket a ${how} closed, when the server ignores the closing handshake`, async () => {
      raw = await startRawServer();
      const port = Number(new URL(raw.restUrl).port);
      const client = rawClient(raw);
      const subscription = client.subscribe('Agent_SoD_3.5');
      const serverSide = await raw.nextSocket();
      await raw.nextFrame((t) => t.includes('subscriptionRedirect'));
      // The server stops reading: the client's close frame is never answered (its grace period ends it).
      (serverSide as unknown as { _socket: net.Socket })._socket.pause();
      if (how === 'unsubscribe') await client.unsubscribe(subscription);
      else await client.disconnect();
      assert.equal(clientSocketsTo(port).length >= 1, true, 'the WebSocket is still closing');
      await client.close();
      assert.deepEqual(clientSocketsTo(port), [], `the WebSocket closed by ${how} outlived close()`);
    });
  }
});
