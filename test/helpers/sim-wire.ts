// Shared test plumbing: a simulator with short heartbeats, a REST caller trusting its CA, and a raw
// WebSocket client that records every frame and can rebuild entity state from pumpup + deltas.
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { entityKey } from '../../lib/entity-key';
import type { SubscriptionResponse } from '../../simulator/subscriptions';
import type { RunningSimulator, SimulatorOptions } from '../../simulator/options';
import { startSimulator } from '../../simulator/index';

export const AGENT = 'Agent_SoD_3.5';
export const AGENT_GROUP = 'AgentGroup_SoD_3.5';

/** A simulator for tests: TLS, paused traffic, fast heartbeats, quiet. */
export function startTestSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({
    seed: 7,
    agents: 30,
    rate: 0,
    heartbeatIntervalMs: 100,
    clientHeartbeatTimeoutMs: 2000,
    ...options,
  });
}

/**
 * A REST answer. `json` is the parsed body typed as the caller expects it (`call<T>`): nothing checks its shape, and it
 * is undefined when the body is empty or not JSON.
 */
export interface Reply<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: T;
}

/** Body of GET /users/login. */
export interface LoginBody {
  authdata: string;
}

/** The simulator's plain error body: login, keys and catalog (sources, producers) endpoints, and unknown paths. */
export interface MessageError {
  status: number;
  error: string;
  message: string;
}

/** RFC 7807 problem+json, the error body of the subscription, dictionary and dimdata endpoints. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

export class Rest {
  readonly dispatcher: Agent;
  readonly sourceId: string;

  constructor(readonly sim: RunningSimulator) {
    this.dispatcher = new Agent({ connect: sim.caPem ? { ca: sim.caPem } : {} });
    this.sourceId = sim.model.sourceId;
  }

  async call<T = unknown>(
    method: 'GET' | 'POST' | 'DELETE' | 'PUT',
    path: string,
    options: { token?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    const reply = await request(this.sim.restUrl + path, {
      method,
      headers,
      dispatcher: this.dispatcher,
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    const text = await reply.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: reply.statusCode, headers: reply.headers, text, json: json as T };
  }

  async login(username = 'supervisor1', password?: string): Promise<string> {
    const user = this.sim.users.find((u) => u.username === username);
    const pw = password ?? user?.password ?? '';
    const reply = await this.call<LoginBody>(
      'GET',
      `/users/login?tenant=0&username=${encodeURIComponent(username)}&password=${encodeURIComponent(pw)}`,
    );
    if (reply.status !== 200) throw new Error(`login ${username}: ${reply.status} ${reply.text}`);
    return reply.json.authdata;
  }

  producerPath(producerId: string): string {
    return `/sources/${encodeURIComponent(this.sourceId)}/producers/${encodeURIComponent(producerId)}`;
  }

  subscriptionRequest(username: string, producerId: string): Record<string, unknown> {
    return {
      sourceId: this.sourceId,
      producerId,
      streamType: 'SoD',
      transport: 'websocket',
      tenantId: '0',
      username,
      dimensionFilters: [],
      measureFilters: [],
    };
  }

  async subscribe(token: string, username: string, producerId: string): Promise<SubscriptionResponse> {
    const reply = await this.postSubscription<SubscriptionResponse>(
      token,
      producerId,
      JSON.stringify(this.subscriptionRequest(username, producerId)),
    );
    if (reply.status !== 200) throw new Error(`subscribe ${producerId}: ${reply.status} ${reply.text}`);
    return reply.json;
  }

  postSubscription<T = unknown>(
    token: string,
    producerId: string,
    body: string,
    contentType = 'application/json',
  ): Promise<Reply<T>> {
    return this.call<T>('POST', `${this.producerPath(producerId)}/subscriptions`, {
      token,
      body,
      headers: { 'content-type': contentType },
    });
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

export interface Frame {
  text: string;
  /** Parsed JSON, undefined for '--heartbeat--'. */
  json: Record<string, unknown> | undefined;
}

/** Decodes dimension/realtimeData whether they arrived as objects or as JSON strings. */
export function decodeValue(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return JSON.parse(value) as Record<string, unknown>;
  return value as Record<string, unknown>;
}

export function isHeartbeat(frame: Frame): boolean {
  return frame.json?.['heartbeat'] === true;
}

export function isData(frame: Frame): boolean {
  return frame.json !== undefined && frame.json['heartbeat'] !== true && frame.json['code'] === undefined;
}

export class RawClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Echo the server's '--heartbeat--' (a well-behaved client does). */
  echo = true;
  private waiters: Array<() => void> = [];
  private ownHeartbeat: NodeJS.Timeout | undefined;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.stopHeartbeats();
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
    ws.on('error', () => {});
    ws.on('message', (data) => {
      const text = (data as Buffer).toString(); // binaryType 'nodebuffer' (ws's default): a Buffer
      if (text === '--heartbeat--') {
        if (this.echo) ws.send('--heartbeat--');
        this.frames.push({ text, json: undefined });
      } else {
        this.frames.push({ text, json: JSON.parse(text) as Record<string, unknown> });
      }
      this.wake();
    });
  }

  static connect(endpoint: string, ca: string | undefined, heartbeatMs = 100): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(endpoint, { ...(ca ? { ca } : {}), perMessageDeflate: false });
      const client = new RawClient(ws);
      ws.once('open', () => {
        if (heartbeatMs > 0) client.ownHeartbeat = setInterval(() => ws.send('--heartbeat--'), heartbeatMs);
        resolve(client);
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  stopHeartbeats(): void {
    if (this.ownHeartbeat) clearInterval(this.ownHeartbeat);
    this.ownHeartbeat = undefined;
  }

  redirect(response: SubscriptionResponse, token: string, eventName = 'subscriptionRedirect'): void {
    this.ws.send(JSON.stringify({ authorization: token, eventName, ...response }));
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Resolves with the first frame (from index `from`) matching, or rejects after `timeoutMs`. */
  async waitFor(match: (frame: Frame) => boolean, timeoutMs = 5000, from = 0): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(match);
      if (found) return found;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('socket closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the pumpupComplete marker of a producer (or any marker in the short form) after `from`. */
  waitForPumpupComplete(from = 0, timeoutMs = 5000): Promise<Frame> {
    return this.waitFor((f) => f.json?.['pumpupComplete'] === true, timeoutMs, from);
  }

  /** Frames after the next JSON heartbeat from now: everything queued before it has arrived. */
  async sync(timeoutMs = 5000): Promise<void> {
    await this.waitFor(isHeartbeat, timeoutMs, this.frames.length);
  }

  /**
   * Like sync(), for a client that lags behind (e.g. it paused reading): heartbeats sent before now may
   * still be in the pipe, so wait for the first one the server sends after `heartbeatsSentSoFar` (its
   * count of heartbeats sent, from stats(); valid while this is the simulator's only socket).
   */
  async syncAfter(heartbeatsSentSoFar: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.filter(isHeartbeat).length <= heartbeatsSentSoFar) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a heartbeat sent after the sync point');
      await this.waitFor(isHeartbeat, left, this.frames.length);
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  async close(): Promise<void> {
    this.stopHeartbeats();
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.terminate();
    await this.closed;
  }
}

/**
 * Entity state as a client rebuilds it: a pumpup replaces the producer's records (on its marker),
 * deltas merge measures, DELETE removes. `producerOf` routes short-form frames (no producerId).
 */
export class StateBuilder {
  readonly state = new Map<string, Map<string, Record<string, unknown>>>();
  private pumping = new Map<string, Map<string, Record<string, unknown>>>();
  deletes: Array<{ producerId: string; key: string }> = [];

  constructor(private readonly producerOf: (frame: Record<string, unknown>) => string) {}

  apply(frames: readonly Frame[]): this {
    for (const frame of frames) if (isData(frame)) this.applyOne(frame.json!);
    return this;
  }

  private applyOne(json: Record<string, unknown>): void {
    const producerId = (json['producerId'] as string | undefined) ?? this.producerOf(json);
    const dimension = decodeValue(json['dimension']) as Record<string, string>;
    const measures = decodeValue(json['realtimeData']);
    if (json['pumpup'] === true) {
      let rows = this.pumping.get(producerId);
      if (!rows) this.pumping.set(producerId, (rows = new Map<string, Record<string, unknown>>()));
      if (json['pumpupComplete'] === true) {
        this.state.set(producerId, rows);
        this.pumping.delete(producerId);
      } else {
        rows.set(entityKey(producerId, dimension), { ...measures });
      }
      return;
    }
    let records = this.state.get(producerId);
    if (!records) this.state.set(producerId, (records = new Map<string, Record<string, unknown>>()));
    const key = entityKey(producerId, dimension);
    if (json['eventAction'] === 'DELETE') {
      records.delete(key);
      this.deletes.push({ producerId, key });
      return;
    }
    records.set(key, { ...(records.get(key) ?? {}), ...measures });
  }
}

/** A test simulator and a REST caller trusting its CA, as most suites need them. */
export async function startSimulatorWithRest(
  options: SimulatorOptions = {},
): Promise<{ sim: RunningSimulator; rest: Rest }> {
  const sim = await startTestSimulator(options);
  return { sim, rest: new Rest(sim) };
}

/** Closes what startSimulatorWithRest started: the REST caller first, then the simulator. */
export async function closeSimulatorWithRest(started: { sim: RunningSimulator; rest: Rest }): Promise<void> {
  await started.rest.close();
  await started.sim.close();
}
