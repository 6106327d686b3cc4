// The frame source, run in its own process (child_process.fork) so it never competes with the
// contender for a core: just enough of the Open Interface over plain HTTP/WS — login (an unsigned
// JWT: the contenders do not verify it), sources, producers, subscribe/unsubscribe, the
// (un)subscriptionRedirect on one socket, both kinds of heartbeat — and, on command, pre-encoded
// frames written as fast as the socket drains (or at a fixed rate, stamped for latency).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setPriority } from 'node:os';
import { WebSocketServer, type WebSocket } from 'ws';
import { createModel } from '../../simulator/model/index';
import { nowUs } from './clock';
import { FrameFactory, streamingProducers, type FrameSet, type StampedFrames } from './frames';
import type { BlastResult, CaseName, ContenderKind, FromSender, SenderOptions, ToSender } from './messages';

const CONTEXT = '/orca-streams-rest';
const USERNAME = 'supervisor1';
const PASSWORD = 'password1';
const HEARTBEAT_MS = 8000;
/** Above this many bytes queued in the socket's user-space write buffer the sender waits for 'drain'. */
const HIGH_WATER = 1 << 20;
const TEXT = { binary: false };
const HEARTBEAT_JSON = Buffer.from(
  '{"dimension":{},"realtimeData":{},"pumpup":false,"pumpupComplete":false,"heartbeat":true}',
);

const options = JSON.parse(process.argv[2] ?? '{}') as SenderOptions;
// Pinning (bench/README.md "Sender"): at nice 19 the sender gets a core only when the contender does not
// want it, so on a 2-core machine shared with other jobs it cannot starve the contender it measures.
if (options.nice) setPriority(0, options.nice);
const model = createModel({ seed: 1, agents: options.pumpupAgents });
const factory = new FrameFactory(model, USERNAME, options.encoding);
const producers = streamingProducers(model);

const sets = new Map<CaseName, FrameSet>();
function frameSet(name: CaseName): FrameSet {
  let set = sets.get(name);
  if (set === undefined) {
    if (name === 'small') set = factory.small(options.agents);
    else if (name === 'rows') set = factory.rows(options.agents);
    else if (name === 'large') set = factory.large(Math.min(options.agents, 500));
    else if (name === 'pumpup') set = factory.pumpup(producers, options.pumpupRows);
    else if (name === 'scale') throw new Error('the scale frames are built by op "scale"');
    else set = factory.memory(options.memoryAgents, options.memoryMeasures);
    sets.set(name, set);
  }
  return set;
}
const stamped = factory.stampedSmall(options.agents);
let scaleStamped: StampedFrames | null = null;

function send(message: FromSender): void {
  process.send!(message);
}

function unsignedJwt(): string {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ sub: USERNAME, iat: now, exp: now + 86400 })}.${Buffer.from('bench').toString('base64url')}`;
}

// ---- REST ----
const subscriptions = new Map<string, { producerId: string; response: Record<string, string> }>();

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function onRequest(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.startsWith(CONTEXT) ? url.pathname.slice(CONTEXT.length) : '';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  req.resume();
  if (req.method === 'GET' && path === '/users/login') {
    const ok = url.searchParams.get('username') === USERNAME && url.searchParams.get('password') === PASSWORD;
    return ok
      ? json(res, 200, { authdata: unsignedJwt() })
      : json(res, 401, { code: 401, message: 'invalid credentials' });
  }
  if (req.method === 'GET' && path === '/sources') return json(res, 200, model.sources());
  if (parts[0] === 'sources' && parts[2] === 'producers') {
    if (req.method === 'GET' && parts.length === 3) return json(res, 200, model.producers());
    const producer = model.producer(parts[3] ?? '');
    if (producer && parts[4] === 'subscriptions' && req.method === 'POST') {
      const guid = randomUUID();
      const port = (req.socket.localPort ?? 0).toString();
      const response = {
        source: 'Oceana_Streams',
        sourceId: model.sourceId,
        producer: producer.header.producerName,
        producerId: producer.header.producerId,
        streamType: 'SoD',
        version: producer.header.version,
        transport: 'websocket',
        endpoint: `ws://127.0.0.1:${port}${CONTEXT}/stream`,
        guid,
      };
      subscriptions.set(guid, { producerId: producer.header.producerId, response });
      return json(res, 200, response);
    }
    if (producer && parts[4] === 'subscriptions' && req.method === 'DELETE') return json(res, 200, {});
  }
  process.stderr.write(`bench sender: no route for ${req.method} ${path}\n`);
  json(res, 404, { code: 404, message: 'not found' });
}

// ---- WebSocket ----
/** The socket frames go to: the latest one that carries a stream, or the one of the contender whose turn it is. */
let current: WebSocket | null = null;
/** Each contender's socket (op 'tag'), when several are alive side by side. */
const tagged = new Map<ContenderKind, WebSocket>();
const streams = new Map<WebSocket, Set<string>>();
let clientHeartbeats = 0;
let redirects = 0;
/** See ToSender 'hold-markers'. */
let holdMarkers = false;

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
wss.on('connection', (ws) => {
  streams.set(ws, new Set());
  const heartbeat = setInterval(() => {
    ws.send(HEARTBEAT_JSON, TEXT);
    ws.send('--heartbeat--');
  }, HEARTBEAT_MS);
  ws.on('close', () => {
    clearInterval(heartbeat);
    streams.delete(ws);
    if (current === ws) current = null;
  });
  ws.on('error', () => undefined);
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '' : (data as Buffer).toString();
    if (text === '--heartbeat--') {
      clientHeartbeats++;
      return;
    }
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text) as Record<string, unknown>;
    } catch {
      ws.send(JSON.stringify({ code: 500, message: 'frame is not valid JSON' }));
      return;
    }
    const sub = typeof frame.guid === 'string' ? subscriptions.get(frame.guid) : undefined;
    if (!sub || typeof frame.authorization !== 'string') {
      ws.send(JSON.stringify({ code: 500, message: 'unknown guid or missing authorization' }));
      return;
    }
    if (frame.eventName === 'subscriptionRedirect') {
      streams.get(ws)!.add(sub.producerId);
      current = ws;
      redirects++;
      // An empty pumpup: the bench sends its own rows on command (held: the pumpup case's blast is the answer).
      if (!holdMarkers)
        ws.send(factory.marker(sub.producerId, `${USERNAME}@bench_2_${sub.producerId}_${Date.now()}`), TEXT);
    } else if (frame.eventName === 'unsubscriptionRedirect') {
      streams.get(ws)!.delete(sub.producerId);
    }
  });
});

const server = createServer(onRequest);
server.on('upgrade', (req, socket, head) => {
  if (!(req.url ?? '').startsWith(CONTEXT)) {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

// ---- sending ----
/** The bytes of a server-to-client WebSocket frame around a payload of `n` bytes. */
function wireLength(n: number): number {
  return (n < 126 ? 2 : n < 65536 ? 4 : 10) + n;
}

/** Writes a complete server-to-client WebSocket text frame (FIN, opcode 1, unmasked) around `payload` at `at`. */
function writeWireFrame(payload: Buffer, out: Buffer, at: number): void {
  const n = payload.length;
  out[at] = 0x81;
  if (n < 126) out[at + 1] = n;
  else if (n < 65536) {
    out[at + 1] = 126;
    out.writeUInt16BE(n, at + 2);
  } else {
    out[at + 1] = 127;
    out.writeBigUInt64BE(BigInt(n), at + 2);
  }
  payload.copy(out, at + wireLength(n) - n);
}

function wireFrame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(wireLength(payload.length));
  writeWireFrame(payload, out, 0);
  return out;
}

/**
 * A case's frames, framed and laid end to end in one buffer (`starts[i]` is where frame i begins, `starts[n]` the
 * end), so that a batch is a slice of it: no copy and no allocation per write, hence no collection in the sender
 * while it feeds a contender (Buffer.concat of each 64 KB batch allocated as much as it sent).
 */
interface WireSet {
  all: Buffer;
  starts: number[];
  trailer: Buffer;
}
const wireSets = new Map<CaseName, WireSet>();
/**
 * Where each case's next blast starts in its frame set, per socket: the frames cycle through two laps that differ in
 * one measure, so that every frame a contender gets changes its entity, whatever the other contenders got meanwhile.
 */
const cursors = new WeakMap<WebSocket, Map<CaseName, number>>();
function wireSet(name: CaseName): WireSet {
  let wire = wireSets.get(name);
  if (wire === undefined) {
    const set = frameSet(name);
    const starts = [0];
    for (const payload of set.frames) starts.push(starts[starts.length - 1]! + wireLength(payload.length));
    const all = Buffer.allocUnsafe(starts[starts.length - 1]!);
    set.frames.forEach((payload, i) => writeWireFrame(payload, all, starts[i]!));
    wire = { all, starts, trailer: Buffer.concat(set.trailer.map(wireFrame)) };
    wireSets.set(name, wire);
  }
  return wire;
}

/**
 * Bytes per socket write: frames are framed in advance and written in batches, so ws's per-send work is not the
 * bottleneck.
 */
const BATCH_BYTES = 64 * 1024;

function blast(name: CaseName, count: number): void {
  const ws = current;
  if (!ws) throw new Error('no socket carries a stream');
  // Raw writes to ws's socket: ws queues nothing of its own when deflate is off, so the order holds.
  const socket = (ws as unknown as { _socket: Socket })._socket;
  const { all, starts, trailer } = wireSet(name);
  const n = starts.length - 1;
  let cursor = cursors.get(ws);
  if (cursor === undefined) cursors.set(ws, (cursor = new Map<CaseName, number>()));
  const start = cursor.get(name) ?? 0;
  cursor.set(name, (start + count) % n);
  let i = 0;
  let bytes = 0;
  let drainWaits = 0;
  const cpu0 = process.cpuUsage();
  const firstUs = nowUs();
  const step = (): void => {
    while (i < count) {
      // Whole frames up to BATCH_BYTES (at least one), not past the end of the set (the next batch starts again at
      // its beginning).
      const from = (start + i) % n;
      let to = from;
      while (i < count && to < n && (to === from || starts[to + 1]! - starts[from]! <= BATCH_BYTES)) {
        to++;
        i++;
      }
      const size = starts[to]! - starts[from]!;
      bytes += size;
      socket.write(all.subarray(starts[from], starts[to]));
      if (socket.writableLength > HIGH_WATER) {
        drainWaits++;
        socket.once('drain', step);
        return;
      }
    }
    if (trailer.length > 0) socket.write(trailer);
    const cpu = process.cpuUsage(cpu0);
    const result: BlastResult = {
      op: 'blasted',
      firstUs,
      lastUs: nowUs(),
      frames: count,
      bytes,
      meanBytes: frameSet(name).meanBytes,
      cpuUs: cpu.user + cpu.system,
      drainWaits,
    };
    send(result);
  };
  step();
}

/**
 * `rate` frames/s for `seconds`, each stamped with its write time (epoch µs) just before the write: to the target's
 * socket, or to each of `kinds`' sockets at once (the same frames at the same times, a copy each).
 */
function steady(rate: number, seconds: number, scale = false, kinds?: readonly ContenderKind[]): void {
  const sockets = kinds === undefined ? [current] : kinds.map((kind) => tagged.get(kind));
  const targets = sockets.filter((ws): ws is WebSocket => ws !== undefined && ws !== null && streams.has(ws));
  if (targets.length === 0 || targets.length !== sockets.length) throw new Error('no socket carries a stream');
  const total = Math.round(rate * seconds);
  const { frames, stampOffsets } = scale && scaleStamped ? scaleStamped : stamped;
  let sent = 0;
  const cpu0 = process.cpuUsage();
  const firstUs = nowUs();
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((nowUs() - firstUs) * rate) / 1e6) + 1);
    while (sent < due) {
      const k = sent % frames.length;
      for (const ws of targets) {
        const frame = Buffer.from(frames[k]!); // a copy: ws may still hold the previous one
        frame.write(String(Math.round(nowUs())), stampOffsets[k]!, 'latin1');
        ws.send(frame, TEXT);
      }
      sent++;
    }
    if (sent >= total) {
      clearInterval(timer);
      const cpu = process.cpuUsage(cpu0);
      send({ op: 'steadied', frames: sent, firstUs, lastUs: nowUs(), cpuUs: cpu.user + cpu.system });
    }
  }, 1);
}

process.on('message', (m: ToSender) => {
  try {
    if (m.op === 'status') {
      const s = current ? (streams.get(current)?.size ?? 0) : 0;
      send({ op: 'status', streams: s, sockets: streams.size, clientHeartbeats, redirects });
    } else if (m.op === 'hold-markers') holdMarkers = m.on;
    else if (m.op === 'tag') {
      if (!current) throw new Error(`no socket carries a stream to tag as ${m.kind}'s`);
      tagged.set(m.kind, current);
    } else if (m.op === 'target') {
      const ws = tagged.get(m.kind);
      if (!ws || !streams.has(ws)) throw new Error(`${m.kind} has no open socket`);
      current = ws;
    } else if (m.op === 'blast') blast(m.name, m.count);
    else if (m.op === 'steady') steady(m.rate, m.seconds, m.scale === true, m.kinds);
    else if (m.op === 'scale') {
      const built = factory.scale(m.entities);
      sets.set('scale', built.pumpup);
      wireSets.delete('scale'); // each scale point has a fresh receiver, whose socket starts at the set's beginning
      scaleStamped = built.stamped;
      wireSet('scale');
      send({ op: 'scaled', entities: m.entities, meanBytes: built.pumpup.meanBytes });
    } else if (m.op === 'exit') {
      for (const ws of wss.clients) ws.terminate();
      server.close(() => process.exit(0));
    }
  } catch (err) {
    process.stderr.write(`bench sender: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // Build the big sets now, outside any measurement.
  const sizes: Record<string, number> = {};
  for (const name of ['small', 'rows', 'large', 'pumpup', 'memory'] as const) {
    wireSet(name);
    sizes[name] = frameSet(name).meanBytes;
  }
  send({
    op: 'ready',
    restUrl: `http://127.0.0.1:${port}${CONTEXT}`,
    username: USERNAME,
    password: PASSWORD,
    producers,
    sizes,
  });
});
