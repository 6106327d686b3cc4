// The faults of a hostile or broken Open Interface server (issue 14), each with the cause a user must
// see for it. Run twice: against the lib client (the cause on its events, hostile-server.test.ts) and
// through a real Node-RED runtime (the node status and the warn log, hostile-flow.test.ts).
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { ClientOptions, FaultKind } from '../../lib/index';
import type { ExtraClientOptions } from '../../lib/options';
import type { RawRequest, RawServer } from './raw-server';
import { SOURCE_ID } from './raw-server';

export interface Scenario {
  name: string;
  kind: FaultKind;
  /** The short text (English; the test helper's runtime has no catalogs, so nodes show it too). */
  short: string;
  /** The subscribe node's status where it names more than `short` (a refused subscription's likely cause). */
  status?: string;
  /** A piece of the full text (the log line). */
  detail: RegExp;
  /** Where the cause shows: a connection state event, the input report, or the subscription's refusal. */
  via: 'state' | 'input' | 'subscription';
  /** Client options for the lib run (small limits where the defaults would take long). */
  client?: Partial<ClientOptions & ExtraClientOptions>;
  /** Changes to the flow's server/tls-config nodes for the Node-RED run; absent: lib run only. */
  flow?: { server?: Record<string, unknown>; tls?: Record<string, unknown>; cadata?: string };
  arrange?: (server: RawServer) => void;
  /** Drives the socket once the first subscriptionRedirect arrived. */
  onSocket?: (ws: WebSocket) => void;
}

export function reply(res: ServerResponse, status: number, body: string, contentType = 'application/json'): true {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
  return true;
}

/** The raw server's subscription response, with `endpoint` of the test's choice. */
export function subscriptionResponse(res: ServerResponse, path: string, endpoint: string): true {
  const producerId = decodeURIComponent(path.split('/producers/')[1]?.split('/')[0] ?? '');
  const body = {
    source: 'Oceana',
    sourceId: SOURCE_ID,
    producer: 'Agent',
    producerId,
    streamType: 'SoD',
    version: '3.5',
    transport: 'websocket',
    endpoint,
    guid: 'guid-x',
  };
  return reply(res, 200, JSON.stringify(body));
}

const isSources = (path: string): boolean => path.endsWith('/sources');
const isPost = (method: string, path: string): boolean => method === 'POST' && path.endsWith('/subscriptions');

/** An arrange step: the raw server answers `status` with `body` to every request that `when` picks. */
function answer(when: (req: RawRequest) => boolean, status: number, body: string, contentType?: string) {
  return (s: RawServer): void => {
    s.override = (req, res) => when(req) && reply(res, status, body, contentType);
  };
}
const sources = (req: RawRequest): boolean => isSources(req.path);
const subscriptionPost = (req: RawRequest): boolean => isPost(req.method, req.path);
const login = (req: RawRequest): boolean => req.path.endsWith('/users/login');

/** Runs the scenario's socket step (if any) on the raw server's next socket once its first redirect arrived. */
export function driveSocket(server: RawServer, scenario: Scenario): void {
  if (!scenario.onSocket) return;
  const drive = scenario.onSocket;
  void server.nextSocket().then(async (ws) => {
    await server.nextFrame((t) => t.includes('subscriptionRedirect'));
    drive(ws);
  });
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'a certificate from an untrusted CA',
    kind: 'tls-untrusted',
    short: 'TLS: untrusted CA',
    detail: /self-signed|not trusted|trusted CA/,
    via: 'state',
    client: { tls: { ca: undefined } },
    flow: { cadata: '' },
  },
  {
    name: 'a certificate for another host name',
    kind: 'tls-hostname',
    short: 'TLS: wrong host name',
    detail: /does not match the host name/,
    via: 'state',
    client: { tls: { servername: 'wrong.example' } },
    flow: { tls: { servername: 'wrong.example' } },
  },
  {
    name: 'a 502 with an HTML page',
    kind: 'http',
    short: 'HTTP 502',
    detail: /HTTP 502 on GET .*502 Bad Gateway nginx/,
    via: 'state',
    flow: {},
    arrange: answer(
      sources,
      502,
      '<html><head><title>502</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>',
      'text/html',
    ),
  },
  {
    name: 'an RFC 7807 problem+json',
    kind: 'http',
    short: 'HTTP 503',
    detail: /Service Unavailable: licence server down/,
    via: 'state',
    flow: {},
    arrange: answer(
      sources,
      503,
      '{"type":"about:blank","title":"Service Unavailable","detail":"licence server down","status":503}',
      'application/problem+json',
    ),
  },
  {
    name: 'a 404 on the subscription POST',
    kind: 'http',
    short: 'HTTP 404',
    status: 'avaya-analytics-subscribe.status.refused-404',
    detail: /subscription to Agent_SoD_3\.5 refused: HTTP 404/,
    via: 'subscription',
    flow: {},
    arrange: answer(subscriptionPost, 404, '{"message":"no such producer"}'),
  },
  {
    name: 'an empty /sources',
    kind: 'no-source',
    short: 'no source',
    detail: /returned no source/,
    via: 'state',
    flow: {},
    arrange: answer(sources, 200, '[]'),
  },
  {
    name: 'an oversized body',
    kind: 'body-too-large',
    short: 'body too large',
    detail: /exceeds 4096 bytes/,
    via: 'state',
    client: { maxResponseBytes: 4096 },
    arrange: answer(sources, 200, JSON.stringify([{ sourceId: SOURCE_ID, description: 'x'.repeat(100_000) }])),
  },
  {
    name: 'stalled response headers',
    kind: 'timeout',
    short: 'timeout: headers',
    detail: /timeout waiting for response headers/,
    via: 'state',
    client: { timeouts: { headersMs: 300 } },
    arrange: (s) => {
      s.override = (req) => isSources(req.path); // never answered
    },
  },
  {
    name: 'a stalled body',
    kind: 'timeout',
    short: 'timeout: body',
    detail: /timeout waiting for response body/,
    via: 'state',
    client: { timeouts: { bodyMs: 300 } },
    arrange: (s) => {
      s.override = (req, res) => {
        if (!isSources(req.path)) return false;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[{"sourceId":');
        return true;
      };
    },
  },
  {
    name: 'a body dripping one byte at a time',
    kind: 'timeout',
    short: 'timeout: deadline',
    detail: /total deadline of 1000 ms/,
    via: 'state',
    client: { timeouts: { requestMs: 1000, bodyMs: 5000 } },
    flow: { server: { requestTimeout: 1 } },
    arrange: (s) => {
      s.override = (req, res) => {
        if (!isSources(req.path)) return false;
        res.writeHead(200, { 'content-type': 'application/json' });
        const drip = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(drip));
        return true;
      };
    },
  },
  {
    name: 'an error frame {"code":500}',
    kind: 'server-error',
    short: 'server error 500',
    detail: /server error 500: internal failure/,
    via: 'state',
    flow: {},
    onSocket: (ws) => ws.send('{"code":500,"message":"internal failure"}'),
  },
  {
    name: 'a frame over the size limit',
    kind: 'frame-too-large',
    short: 'frame too large',
    detail: /WS_ERR_UNSUPPORTED_MESSAGE_LENGTH/,
    via: 'state',
    client: { maxPayload: 64 * 1024 },
    flow: {},
    onSocket: (ws) => ws.send(`{"dimension":{"agentId":"a"},"realtimeData":{"x":"${'y'.repeat(2 * 1024 * 1024)}"}}`),
  },
  {
    name: '25 malformed frames',
    kind: 'bad-frames',
    short: 'bad frames: 25',
    detail: /× malformed frame/,
    via: 'input',
    flow: {},
    onSocket: (ws) => {
      for (let i = 0; i < 25; i++) ws.send('{"dimension":{"agentId":');
    },
  },
  {
    name: 'a login answer that is not a JWT',
    kind: 'bad-token',
    short: 'bad token',
    detail: /not contain a valid JWT/,
    via: 'state',
    flow: {},
    arrange: answer(login, 200, '{"authdata":"hello-not-a-jwt"}'),
  },
  {
    name: 'a 404 on the login (a URL path that is not the REST API)',
    kind: 'wrong-path',
    short: 'HTTP 404: wrong path',
    detail: /HTTP 404 on GET \/orca-streams-rest\/users\/login: no such endpoint/,
    via: 'state',
    flow: {},
    arrange: answer(login, 404, '{"message":"no such endpoint"}'),
  },
  {
    name: 'a refused login',
    kind: 'login-refused',
    short: 'login refused',
    detail: /login refused \(HTTP 401\)/,
    via: 'state',
    flow: {},
    arrange: answer(login, 401, '{"message":"invalid username or password"}'),
  },
  {
    name: 'a ws:// endpoint under an https:// REST URL',
    kind: 'insecure-endpoint',
    short: 'ws:// refused',
    detail: /refused the unencrypted WebSocket endpoint ws:\/\//,
    via: 'state',
    flow: {},
    arrange: (s) => {
      s.override = (req, res) =>
        isPost(req.method, req.path) && subscriptionResponse(res, req.path, `${s.restUrl.replace('https:', 'ws:')}/ws`);
    },
  },
  {
    name: 'an endpoint on a foreign host',
    kind: 'foreign-endpoint',
    short: 'foreign WS host',
    detail: /localhost is not the REST host 127\.0\.0\.1/,
    via: 'state',
    flow: {},
    arrange: (s) => {
      s.override = (req, res) =>
        isPost(req.method, req.path) &&
        subscriptionResponse(res, req.path, `${s.restUrl.replace('https://127.0.0.1', 'wss://localhost')}/ws`);
    },
  },
];
