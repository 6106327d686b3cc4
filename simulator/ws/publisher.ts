// The data publisher: one WebSocket per supervisor carrying every producer's stream. Handles the
// redirect protocol, attaching streams (and their pumpups, see pumpup.ts), live delta fan-out (each
// frame serialized once), heartbeats both ways, and the socket faults.
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import type { ModelDelta, TrafficModel, VisibilityLoss } from '../model/contract';
import type { TokenService } from '../auth/token-service';
import type { Counters } from '../counters';
import type { Subscription, SubscriptionRegistry } from '../subscriptions';
import { errorFrame, HEARTBEAT_FRAME, HEARTBEAT_TEXT, HEARTBEAT_TEXT_FRAME, type FrameEncoder } from './frames';
import { Pumpups } from './pumpup';
import { checkCopiedFields, parseRedirect, type RedirectRequest } from './redirect';
import { HIGH_WATER_BYTES, SLOW_CONSUMER_BYTES, Session, type Stream } from './session';

/** Client text quoted in an error frame, cut short (a guid is 36 characters). */
function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? text.slice(0, 64) + '…' : text);
}

/** Frames a client may have waiting for handling (redirects wait for token checks) before it is cut off. */
const MAX_PENDING_FRAMES = 64;

export interface PublisherOptions {
  heartbeatIntervalMs: number;
  clientHeartbeatTimeoutMs: number;
  log: (line: string) => void;
}

export class Publisher {
  private readonly sessions = new Set<Session>();
  /** Attached streams per producer: the fan-out index of the hot path. */
  private readonly byProducer = new Map<string, Set<Stream>>();
  /** Attached stream per subscription guid. */
  private readonly byGuid = new Map<string, Stream>();
  private readonly pumpups: Pumpups;
  private nextSessionId = 1;
  private readonly tickTimer: NodeJS.Timeout;
  private readonly countFrame = () => {
    this.counters.framesSent++;
  };

  constructor(
    private readonly model: TrafficModel,
    private readonly tokens: TokenService,
    private readonly registry: SubscriptionRegistry,
    private readonly encoder: FrameEncoder,
    private readonly counters: Counters,
    private readonly options: PublisherOptions,
  ) {
    this.pumpups = new Pumpups(model, encoder, (stream) => this.isAttached(stream), options.log);
    // One clock for heartbeats and liveness checks, fine enough for both.
    const tickMs = Math.max(5, Math.min(options.heartbeatIntervalMs, Math.ceil(options.clientHeartbeatTimeoutMs / 4)));
    this.tickTimer = setInterval(() => this.tick(), tickMs);
    this.tickTimer.unref();
  }

  // ---- connections -------------------------------------------------------------------------------

  accept(ws: WebSocket, req: IncomingMessage): void {
    const session = new Session(this.nextSessionId++, ws, this.countFrame);
    this.sessions.add(session);
    this.options.log(`ws #${session.id} open from ${req.socket.remoteAddress ?? '?'}`);
    ws.on('message', (data, isBinary) => this.onFrame(session, data, isBinary));
    ws.on('close', (code) => {
      this.options.log(`ws #${session.id} closed (${code})`);
      this.forget(session);
    });
    ws.on('error', (error) => {
      // ws closes the socket after an error (e.g. a frame over maxPayload); just record why.
      this.options.log(`ws #${session.id} error: ${error.message}`);
    });
  }

  private forget(session: Session): void {
    session.markClosed();
    for (const stream of [...session.streams.values()]) this.detachStream(stream);
    this.sessions.delete(session);
  }

  private onFrame(session: Session, data: RawData, isBinary: boolean): void {
    if (session.stalled || session.closed) return; // a stalled socket ignores its input
    if (isBinary) {
      this.reject(session, 'binary frames are not supported: send JSON text');
      return;
    }
    const text = (data as Buffer).toString(); // binaryType 'nodebuffer' (ws's default): a Buffer
    if (text === HEARTBEAT_TEXT) {
      session.lastClientHeartbeat = Date.now();
      this.counters.heartbeatsReceived++;
      return;
    }
    const parsed = parseRedirect(text);
    if (!parsed.ok) {
      this.reject(session, parsed.message);
      return;
    }
    if (++session.pending > MAX_PENDING_FRAMES) {
      session.fail('too many requests waiting: slow down');
      return;
    }
    // Redirects are handled one at a time, in order (token checks are asynchronous).
    session.queue = session.queue
      .then(() => this.onRedirect(session, parsed.request))
      .catch((error: unknown) => {
        this.options.log(`ws #${session.id} internal error: ${(error as Error).message}`);
        session.fail('internal error while handling the request', 1011);
      })
      .finally(() => {
        session.pending--;
      });
  }

  /** Before the first accepted redirect an error closes the socket; afterwards it is only reported. */
  private reject(session: Session, message: string): void {
    this.options.log(`ws #${session.id} rejected: ${message}`);
    if (session.username === undefined) session.fail(message);
    else session.send(errorFrame(message));
  }

  private async onRedirect(session: Session, request: RedirectRequest): Promise<void> {
    const check = await this.tokens.verify(request.token);
    if (session.closed || session.stalled) return;
    if (!check.ok) return this.reject(session, `authorization rejected: ${check.reason}`);
    const username = check.claims.sub;
    const subscription = this.registry.get(request.guid);
    if (!subscription) {
      if (this.registry.wasReplaced(request.guid)) {
        this.counters.duplicateSubscriptions++;
        return this.reject(
          session,
          `subscription ${quote(request.guid)} was replaced by a newer subscription to the same producer`,
        );
      }
      return this.reject(session, `no subscription with guid ${quote(request.guid)}: POST a subscription first`);
    }
    if (subscription.username !== username) return this.reject(session, 'the subscription belongs to another user');
    const mismatch = checkCopiedFields(request, subscription.response);
    if (mismatch) return this.reject(session, mismatch);
    if (session.username !== undefined && session.username !== username) {
      return this.reject(session, "this socket carries another user's streams: open one socket per supervisor");
    }

    const existing = this.byGuid.get(request.guid);
    if (request.eventName === 'unsubscriptionRedirect') {
      if (!existing || existing.session !== session)
        return this.reject(session, `guid ${quote(request.guid)} is not streaming on this socket`);
      this.detachStream(existing);
      this.options.log(`ws #${session.id} ${username} unsubscribed ${subscription.producerId}`);
      return;
    }

    session.username = username;
    if (existing && existing.session === session) {
      // A redirect for a stream already on this socket is the simulator's pumpup request.
      existing.tokenId = check.claims.jti;
      this.pumpups.start(existing);
      return;
    }
    if (existing) this.detachStream(existing); // moved here from another socket
    this.countDuplicateSocket(session, username, existing !== undefined);
    const stream: Stream = {
      subscription,
      session,
      tokenId: check.claims.jti,
      pumping: false,
      backlog: [],
      pumpupAgain: false,
    };
    session.streams.set(subscription.guid, stream);
    this.byGuid.set(subscription.guid, stream);
    let streams = this.byProducer.get(subscription.producerId);
    if (!streams) {
      streams = new Set();
      this.byProducer.set(subscription.producerId, streams);
    }
    streams.add(stream);
    if (session.nextHeartbeatAt === 0) session.nextHeartbeatAt = Date.now() + this.options.heartbeatIntervalMs;
    this.options.log(`ws #${session.id} ${username} streams ${subscription.producerId}`);
    this.pumpups.start(stream);
  }

  private countDuplicateSocket(session: Session, username: string, moved: boolean): void {
    if (session.countedAsDuplicate) return;
    if (moved) {
      session.countedAsDuplicate = true;
      this.counters.duplicateSockets++;
      return;
    }
    for (const other of this.sessions) {
      if (other !== session && !other.closed && other.username === username && other.streams.size > 0) {
        session.countedAsDuplicate = true;
        this.counters.duplicateSockets++;
        return;
      }
    }
  }

  /** Stops a subscription's stream (replaced, deleted, unsubscribed, or its socket closed). */
  detach(subscription: Subscription): void {
    const stream = this.byGuid.get(subscription.guid);
    if (stream) this.detachStream(stream);
  }

  private detachStream(stream: Stream): void {
    const guid = stream.subscription.guid;
    if (this.byGuid.get(guid) === stream) this.byGuid.delete(guid);
    stream.session.streams.delete(guid);
    stream.backlog = [];
    const streams = this.byProducer.get(stream.subscription.producerId);
    if (streams) {
      streams.delete(stream);
      if (streams.size === 0) this.byProducer.delete(stream.subscription.producerId);
    }
  }

  private isAttached(stream: Stream): boolean {
    return !stream.session.closed && this.byGuid.get(stream.subscription.guid) === stream;
  }

  // ---- live traffic (hot path) -------------------------------------------------------------------

  /** Sends each delta to every attached stream of its producer whose user may see the entity. */
  dispatch(deltas: readonly ModelDelta[]): void {
    this.counters.deltasGenerated += deltas.length;
    if (this.byGuid.size === 0) return;
    for (let i = 0; i < deltas.length; i++) {
      const delta = deltas[i]!;
      const streams = this.byProducer.get(delta.producerId);
      if (streams === undefined) continue;
      let frame: Buffer | undefined;
      for (const stream of streams) {
        if (!this.model.isVisible(delta.producerId, delta.dimension, stream.subscription.username)) continue;
        if (frame === undefined) frame = this.encoder.delta(delta);
        if (stream.pumping) stream.backlog.push(frame);
        else stream.session.send(frame);
      }
    }
  }

  /** DELETE frames for every entity of the agent, to each stream of a user that lost sight of it. */
  sendDeletes(loss: VisibilityLoss): number {
    let sent = 0;
    const frames = new Map<(typeof loss.entities)[number], Buffer>();
    for (const username of loss.lostBy) {
      for (const stream of this.byGuid.values()) {
        if (stream.subscription.username !== username) continue;
        for (const entity of loss.entities) {
          if (entity.producerId !== stream.subscription.producerId) continue;
          let frame = frames.get(entity);
          if (!frame) {
            frame = this.encoder.deleteFrame(entity.producerId, entity.dimension);
            frames.set(entity, frame);
          }
          if (stream.pumping) stream.backlog.push(frame);
          else stream.session.send(frame);
          sent++;
        }
      }
    }
    this.counters.deletesSent += sent;
    return sent;
  }

  /** True when the flat-out generator should wait: a socket is above its high-water mark or pumping up. */
  congested(): boolean {
    for (const stream of this.byGuid.values()) {
      if (stream.pumping) return true;
      const session = stream.session;
      if (!session.stalled && !session.closed && session.bufferedAmount >= HIGH_WATER_BYTES) return true;
    }
    return false;
  }

  /** Whether any stream is attached (the generator idles otherwise). */
  get streaming(): boolean {
    return this.byGuid.size > 0;
  }

  // ---- heartbeats and liveness -------------------------------------------------------------------

  private tick(): void {
    const now = Date.now();
    for (const session of this.sessions) {
      if (session.closed || session.stalled) continue; // a stalled socket stays half-open
      if (now - session.lastClientHeartbeat > this.options.clientHeartbeatTimeoutMs) {
        this.options.log(`ws #${session.id} closed: no client heartbeat`);
        session.close(1008, `no --heartbeat-- from the client for ${this.options.clientHeartbeatTimeoutMs} ms`);
        continue;
      }
      if (session.bufferedAmount > SLOW_CONSUMER_BYTES) {
        this.options.log(`ws #${session.id} dropped: client is not reading`);
        session.terminate();
        continue;
      }
      if (session.streams.size > 0 && now >= session.nextHeartbeatAt) {
        session.nextHeartbeatAt = now + this.options.heartbeatIntervalMs;
        session.send(HEARTBEAT_FRAME);
        session.send(HEARTBEAT_TEXT_FRAME);
        this.counters.heartbeatsSent++;
      }
    }
  }

  // ---- faults and control ------------------------------------------------------------------------

  private select(username: string | undefined): Session[] {
    return [...this.sessions].filter((s) => !s.closed && (username === undefined || s.username === username));
  }

  /** Abrupt loss: no close frame, the TCP connection is destroyed. */
  drop(username?: string): number {
    const victims = this.select(username);
    for (const session of victims) session.terminate();
    return victims.length;
  }

  /** Half-open: nothing more is sent (not even heartbeats), input is ignored, nothing closes. */
  stall(username?: string): number {
    const victims = this.select(username).filter((s) => !s.stalled);
    for (const session of victims) session.stalled = true;
    return victims.length;
  }

  /** Sockets whose streams were authorized by a token that is no longer live get the error frame and close. */
  closeRevoked(): number {
    let closed = 0;
    for (const session of this.select(undefined)) {
      for (const stream of session.streams.values()) {
        if (!this.tokens.isLive(stream.tokenId)) {
          session.fail('authorization token revoked or expired: log in again');
          closed++;
          break;
        }
      }
    }
    return closed;
  }

  /** Closes every socket (code 1012 on a restart, 1001 on shutdown). */
  closeAll(code: number, reason: string): void {
    for (const session of this.select(undefined)) session.close(code, reason);
  }

  terminateAll(): void {
    for (const session of [...this.sessions]) session.terminate();
  }

  stop(): void {
    clearInterval(this.tickTimer);
    this.terminateAll();
  }

  // ---- stats ------------------------------------------------------------------------------------

  get openSockets(): number {
    let count = 0;
    for (const session of this.sessions) if (!session.closed) count++;
    return count;
  }

  socketsOf(username: string): number {
    let count = 0;
    for (const session of this.sessions) if (session.username === username && !session.closed) count++;
    return count;
  }

  streamsOf(username: string): number {
    let count = 0;
    for (const stream of this.byGuid.values()) if (stream.subscription.username === username) count++;
    return count;
  }
}
