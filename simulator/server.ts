// Assembles a running simulator around a traffic model: HTTPS (or HTTP) listener for REST and the
// WebSocket on one port, the control API on another (loopback only), the traffic driver, and the
// orderly shutdown. startSimulator() in index.ts calls this with the real model.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIPv6, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { TokenService } from './auth/token-service';
import { createControl } from './control/control';
import { createControlServer } from './control/http-api';
import { Counters } from './counters';
import { FaultState } from './faults';
import { parseRequestTarget } from './http/request-target';
import type { ModelOptions, TrafficModel } from './model/contract';
import { resolveOptions, type RunningSimulator, type SimulatorOptions } from './options';
import { createRestHandler } from './rest/rest-api';
import { SubscriptionRegistry } from './subscriptions';
import { reuseOrWriteCertificates, writeCertificates, type WrittenCertificates } from './tls/certificates';
import { TrafficDriver } from './traffic';
import { FrameEncoder } from './ws/frames';
import { Publisher } from './ws/publisher';

/** Path of the data publisher's WebSocket (a SubscriptionResponse's endpoint). */
export const WEBSOCKET_PATH = '/orca-streams-data-publisher/websocket';
/** The guide: a WebSocket message is at most 64 KB; client frames are tiny. */
const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

/** Host part of a URL: IPv6 in brackets; a wildcard bind address is reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return isIPv6(host) ? `[${host}]` : host;
}

const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ status, message });
  const reason = status === 404 ? 'Not Found' : status === 503 ? 'Service Unavailable' : 'Internal Server Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export async function launchSimulator(
  options: SimulatorOptions | undefined,
  createModel: (options: ModelOptions) => TrafficModel,
): Promise<RunningSimulator> {
  const o = resolveOptions(options);
  const model = createModel({
    seed: o.seed,
    agents: o.agents,
    contactDetailWindow: o.contactDetailWindow,
    announceEvictions: o.announceEvictions,
    ...(o.groups !== undefined ? { groups: o.groups } : {}),
    ...(o.users !== undefined ? { users: o.users } : {}),
  });
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  };
  try {
    const tokens = await TokenService.create(o.tokenLifetimeSec);
    let certs: WrittenCertificates | undefined;
    if (o.tls) {
      const dir = o.certDir ?? (await mkdtemp(join(tmpdir(), 'avaya-sim-')));
      if (!o.certDir) cleanups.push(() => rm(dir, { recursive: true, force: true }));
      // A --cert-dir of an earlier start keeps its CA; a temp dir is always new.
      certs = o.certDir ? await reuseOrWriteCertificates(dir) : await writeCertificates(dir);
    }

    const counters = new Counters();
    const faults = new FaultState(counters);
    const encoder = new FrameEncoder(model.sourceId, o.encoding, o.envelope);
    // A subscription that ends (replaced, deleted, forgotten) stops its stream.
    const registry = new SubscriptionRegistry(o.maxSubscriptionsPerUser, (subscription) =>
      publisher.detach(subscription),
    );
    const publisher = new Publisher(model, tokens, registry, encoder, counters, {
      heartbeatIntervalMs: o.heartbeatIntervalMs,
      clientHeartbeatTimeoutMs: o.clientHeartbeatTimeoutMs,
      log: o.log,
    });
    cleanups.push(() => publisher.stop());

    const server = certs ? createHttpsServer({ cert: certs.certPem, key: certs.keyPem }) : createHttpServer();
    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      if (faults.refuseConnection()) {
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    cleanups.push(async () => {
      const closing = closeServer(server);
      for (const socket of sockets) socket.destroy();
      await closing;
    });

    let port = 0;
    const scheme = certs ? 'https' : 'http';
    const wsScheme = certs ? 'wss' : 'ws';
    const wsEndpoint = (req: IncomingMessage): string => {
      const host = req.headers.host;
      const authority = host && HOST_HEADER.test(host) ? host : `${urlHost(o.host)}:${port}`;
      return `${wsScheme}://${authority}${WEBSOCKET_PATH}`;
    };
    server.on(
      'request',
      createRestHandler({ model, tokens, registry, counters, wsEndpoint, log: o.log }, faults, o.contextPath),
    );
    const wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: MAX_CLIENT_FRAME_BYTES,
      clientTracking: false,
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const parsed = parseRequestTarget(req.url);
      const path = parsed.ok ? '/' + parsed.target.segments.join('/') : '';
      if (path !== WEBSOCKET_PATH) return rejectUpgrade(socket, 404, `the WebSocket endpoint is ${WEBSOCKET_PATH}`);
      const failure = faults.takeFailure('websocket');
      if (failure) return rejectUpgrade(socket, failure, `injected fault: websocket answers ${failure}`);
      wss.handleUpgrade(req, socket, head, (ws) => publisher.accept(ws, req));
    });
    port = await listen(server, o.port, o.host);

    const runModel = (events: number): number => {
      const deltas = model.step(events, Date.now());
      publisher.dispatch(deltas);
      return deltas.length;
    };
    const traffic = new TrafficDriver({
      run: runModel,
      congested: () => publisher.congested(),
      streaming: () => publisher.streaming,
    });
    cleanups.push(() => traffic.stop());
    traffic.setRate(o.rate);

    const control = createControl({
      model,
      tokens,
      registry,
      publisher,
      faults,
      counters,
      traffic,
      runModel,
      log: o.log,
    });
    const controlServer = createControlServer(control, o.log);
    cleanups.push(() => closeServer(controlServer));
    const controlPort = await listen(controlServer, o.controlPort, '127.0.0.1');

    const restUrl = `${scheme}://${urlHost(o.host)}:${port}${o.contextPath}`;
    const controlUrl = `http://127.0.0.1:${controlPort}`;
    o.log(`REST ${restUrl}  control ${controlUrl}`);
    let closing: Promise<void> | undefined;
    return {
      restUrl,
      controlUrl,
      caPem: certs?.caPem,
      caPath: certs?.caPath,
      get publicKeyPem() {
        return tokens.publicKeyPem;
      },
      users: model.users,
      model,
      control,
      close() {
        closing ??= cleanup();
        return closing;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
