// A small, scriptable HTTPS + WSS server on 127.0.0.1 for what the simulator never does: malformed
// frames, binary and oversize frames, hostile keys, odd error bodies. It speaks just enough of the
// REST interface (login, sources, producers, subscriptions) for the client to reach the socket; each
// test then drives the socket by hand.
import { once } from 'node:events';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { JWK } from 'jose';
import { WebSocket, WebSocketServer } from 'ws';
import { createClient } from '../../lib/client/client';
import type { ClientOptions } from '../../lib/index';
import type { OpenInterfaceClient } from '../../lib/client/client';
import { generateCertificates } from '../../simulator/tls/certificates';

export const SOURCE_ID = 'Oceana_Streams_127.0.0.1_3.5';

export interface RawRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: string;
  /** Arrival (epoch ms). */
  at: number;
}

export type Override = (req: RawRequest, res: ServerResponse) => boolean;

export interface RawServer {
  restUrl: string;
  caPem: string;
  publicKeyPem: string;
  jwk: JWK;
  requests: RawRequest[];
  /** Frames received from clients (text). */
  received: string[];
  /** Server-side sockets, in connection order. */
  sockets: WebSocket[];
  /** Return true after answering to take over a request. */
  override: Override | null;
  /** Whether the server sends the JSON heartbeat itself every `heartbeatMs` (default on). */
  heartbeats: boolean;
  nextSocket(): Promise<WebSocket>;
  /** Resolves with the next client frame matching `predicate`. */
  nextFrame(predicate: (text: string) => boolean): Promise<string>;
  token(lifetimeSec?: number): Promise<string>;
  close(): Promise<void>;
}

/** Producer descriptors the raw server lists (dimensions as in notes.md, a few typed measures). */
export const RAW_PRODUCERS = [
  descriptor(
    'Agent_SoD_3.5',
    ['agentId'],
    [
      ['active', 'NUMBER'],
      ['agentState', 'STRING'],
      ['nrReasonCode', 'STRING'],
    ],
  ),
  descriptor(
    'AgentGroup_SoD_3.5',
    ['groupId'],
    [
      ['acwDuration', 'DURATION'],
      ['agentsReady', 'NUMBER'],
    ],
  ),
  descriptor(
    'RoutingServiceGroup_SoD_3.5',
    ['groupId'],
    [
      ['acwDuration', 'DURATION'],
      ['contactsWaiting', 'NUMBER'],
    ],
  ),
  descriptor('ContactDetail_CDR_3.5', ['segmentId'], [['initialDisposition', 'STRING']]),
];

function descriptor(producerId: string, dims: string[], measures: Array<[string, string]>): unknown {
  return {
    header: {
      sourceId: SOURCE_ID,
      producerId,
      producerName: producerId.split('_')[0],
      streamType: 'SoD',
      description: '',
      version: '3.5',
    },
    dimensions: dims.map((name) => ({ name, type: 'STRING', value: '', displayName: name, description: '' })),
    measures: measures.map(([name, type]) => ({
      name,
      type,
      format: '',
      values: [],
      displayName: name,
      description: '',
    })),
    locales: ['en-us'],
  };
}

export async function startRawServer(options: { heartbeatMs?: number } = {}): Promise<RawServer> {
  const certs = generateCertificates(['127.0.0.1', 'localhost']);
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'raw-1', alg: 'RS256' };
  const publicKeyPem = await exportSPKI(publicKey);
  const heartbeatMs = options.heartbeatMs ?? 200;
  let guid = 0;
  const waiters: Array<(ws: WebSocket) => void> = [];
  const frameWaiters: Array<{ predicate: (t: string) => boolean; resolve: (t: string) => void }> = [];

  const state: RawServer = {
    restUrl: '',
    caPem: certs.caPem,
    publicKeyPem,
    jwk,
    requests: [],
    received: [],
    sockets: [],
    override: null,
    heartbeats: true,
    nextSocket: () => new Promise((resolve) => waiters.push(resolve)),
    nextFrame: (predicate) =>
      new Promise((resolve) => {
        const hit = state.received.find(predicate);
        if (hit) resolve(hit);
        else frameWaiters.push({ predicate, resolve });
      }),
    token: (lifetimeSec = 3600) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: 'raw-1' })
        .setSubject('supervisor1')
        .setJti(String(Math.random()))
        .setIssuedAt(now)
        .setExpirationTime(now + lifetimeSec)
        .sign(privateKey);
    },
    close: () => Promise.resolve(),
  };

  const server: Server = createServer(
    { cert: certs.certPem, key: certs.keyPem },
    (req: IncomingMessage, res: ServerResponse) => {
      const at = Date.now();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void handle(req, res, Buffer.concat(chunks).toString('utf8'), at);
      });
    },
  );

  async function handle(req: IncomingMessage, res: ServerResponse, body: string, at: number): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const r: RawRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body,
      at,
    };
    state.requests.push(r);
    if (state.override && state.override(r, res)) return;
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const p = url.pathname.replace(/^\/orca-streams-rest/, '');
    if (p === '/users/login') return json(200, { authdata: await state.token() });
    if (p === '/jwks.json') return json(200, { keys: [jwk] });
    if (!req.headers.authorization?.startsWith('Bearer ')) return json(401, { message: 'missing token' });
    if (p === '/sources')
      return json(200, [{ sourceId: SOURCE_ID, sourceName: 'Oceana', description: '', version: '3.5' }]);
    if (p === `/sources/${SOURCE_ID}/producers`) return json(200, RAW_PRODUCERS);
    const sub = /^\/sources\/([^/]+)\/producers\/([^/]+)\/subscriptions$/.exec(p);
    if (sub && req.method === 'POST') {
      const producerId = decodeURIComponent(sub[2] as string);
      return json(200, {
        source: 'Oceana',
        sourceId: SOURCE_ID,
        producer: producerId.split('_')[0],
        producerId,
        streamType: 'SoD',
        version: '3.5',
        transport: 'websocket',
        endpoint: `${state.restUrl.replace('https:', 'wss:')}/ws`,
        guid: `guid-${++guid}`,
      });
    }
    if (sub && req.method === 'DELETE') {
      res.writeHead(204);
      res.end();
      return;
    }
    json(404, { message: `no route ${p}` });
  }

  const wss = new WebSocketServer({ server, path: '/orca-streams-rest/ws' });
  const timers = new Set<NodeJS.Timeout>();
  wss.on('connection', (ws) => {
    state.sockets.push(ws);
    ws.on('error', () => undefined);
    const timer = setInterval(() => {
      if (state.heartbeats && ws.readyState === WebSocket.OPEN) {
        ws.send('{"dimension":{},"realtimeData":{},"pumpup":false,"pumpupComplete":false,"heartbeat":true}');
      }
    }, heartbeatMs);
    timers.add(timer);
    ws.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      state.received.push(text);
      for (let i = frameWaiters.length - 1; i >= 0; i--) {
        const w = frameWaiters[i];
        if (w && w.predicate(text)) {
          frameWaiters.splice(i, 1);
          w.resolve(text);
        }
      }
    });
    const w = waiters.shift();
    if (w) w(ws);
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  state.restUrl = `https://127.0.0.1:${port}/orca-streams-rest`;
  state.close = async () => {
    for (const t of timers) clearInterval(t);
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

/**
 * A client for `server` as supervisor1: trusts its CA, no request spacing to speak of, no client
 * heartbeat during a test, and a fast backoff so reconnects happen within the test.
 */
export function rawClient(server: RawServer, extra: Partial<ClientOptions> = {}): OpenInterfaceClient {
  return createClient({
    url: server.restUrl,
    username: 'supervisor1',
    password: 'password1',
    tls: { ca: server.caPem },
    requestSpacingMs: 5,
    heartbeatIntervalMs: 60_000,
    backoff: { floorMs: 20, capMs: 200, stableMs: 60_000 },
    ...extra,
  });
}
