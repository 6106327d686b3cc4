// The per-frame path of the client (hot: up to 100k frames/s): decode, answer `--heartbeat--`, route to
// the right channel, turn into AnalyticsMessage, deliver, and track which pumpups are running so an
// end-of-pumpup marker without a producerId (short envelope, empty dimension) completes the oldest
// one. No logging, no per-field try/catch; listener exceptions are caught once per delivery.
import type { AnalyticsMessage, ClientStats } from '../api';
import type { DecodedMessage, DroppedInput } from '../frames/decode';
import { decodeFrame } from '../frames/decode';
import { toAnalyticsMessage } from '../frames/message';
import { FrameRouter } from '../frames/router';
import type { Channel } from './subscription';

export type ClientCounters = ClientStats & { ambiguousMessages: number; serverErrors: number };

export function newCounters(): ClientCounters {
  return {
    framesReceived: 0,
    messagesDelivered: 0,
    heartbeatsReceived: 0,
    malformedFrames: 0,
    unroutableMessages: 0,
    reconnects: 0,
    logins: 0,
    ambiguousMessages: 0,
    serverErrors: 0,
  };
}

/** What the dispatcher needs from the client. */
export interface DispatchHost {
  /** Echo the server's `--heartbeat--`. */
  echoHeartbeat(): void;
  serverError(code: number, message: string): void;
  malformed(reason: string, sample: string): void;
  /** The decoding rules removed keys or values from a frame (it is delivered without them). */
  dropped(d: DroppedInput): void;
  /** A short-form frame matched several producers (called for every such frame; the host warns once). */
  ambiguous(dimensionKeys: string[], producers: string[]): void;
  /** A channel's pumpup completed (its members were told already). */
  pumpupCompleted(channel: Channel): void;
  /** A user listener threw. */
  listenerFailed(event: string, producerId: string, err: unknown): void;
}

export class FrameDispatcher {
  readonly router = new FrameRouter<Channel>();
  /** Channels whose pumpup is running, oldest first. */
  private readonly pumpQueue: Channel[] = [];
  /** The channel of the latest pumpup row (short-form markers usually follow their last row). */
  private lastPumpupRow: Channel | undefined;
  /** A marker without producerId was seen: the feed uses (also) the short envelope. */
  private sawShortMarker = false;

  constructor(
    private readonly host: DispatchHost,
    private readonly counters: ClientCounters,
    private readonly normalize: boolean,
    private readonly maxPayload: number,
  ) {}

  onFrame(data: Buffer, isBinary: boolean): void {
    this.counters.framesReceived++;
    const frame = decodeFrame(data, isBinary, this.maxPayload);
    switch (frame.type) {
      case 'message':
        if (frame.dropped) this.host.dropped(frame.dropped);
        this.dispatch(frame);
        return;
      case 'ping':
        this.counters.heartbeatsReceived++;
        this.host.echoHeartbeat();
        return;
      case 'malformed':
        this.host.malformed(frame.reason, frame.sample);
        return;
      case 'server-error':
        this.counters.serverErrors++;
        this.host.serverError(frame.code, frame.message);
        return;
      case 'status':
        return;
    }
  }

  startPumping(channel: Channel): void {
    if (channel.pumping) return;
    channel.pumping = true;
    this.pumpQueue.push(channel);
  }

  stopPumping(channel: Channel): void {
    channel.pumping = false;
    if (this.lastPumpupRow === channel) this.lastPumpupRow = undefined;
    const i = this.pumpQueue.indexOf(channel);
    if (i >= 0) this.pumpQueue.splice(i, 1);
  }

  /** The socket is gone: no pumpup is running any more. */
  resetPumps(): void {
    for (const channel of this.pumpQueue) channel.pumping = false;
    this.pumpQueue.length = 0;
    this.lastPumpupRow = undefined;
  }

  private dispatch(msg: DecodedMessage): void {
    if (msg.kind === 'heartbeat') {
      this.counters.heartbeatsReceived++;
      return;
    }
    // The guide's RoutingService sample carries a row in its pumpupComplete frame: deliver it first.
    const hasRow = msg.kind !== 'pumpupComplete' || !isEmpty(msg.dimension);
    let routedTo: Channel | undefined;
    if (hasRow) routedTo = this.route(msg);
    if (msg.kind !== 'pumpupComplete') return;
    const channel = this.endedPumpup(msg, routedTo);
    if (channel) this.completePumpup(channel);
    else if (!hasRow) this.counters.unroutableMessages++;
  }

  /**
   * Which pumpup a marker ends. Long form: the producer it names. Short form (no producerId): the one
   * its own row went to, else the one whose row arrived last (a server sends a pumpup's marker right
   * after its rows), else the oldest running. Pumpups of several producers may interleave, so a short
   * marker can be attributed to the wrong one; each marker still ends exactly one pumpup, so when a
   * feed mixes both envelopes and a long marker names a pumpup that a short marker already ended, it
   * ends the oldest one still running instead (the one whose marker was taken).
   */
  private endedPumpup(msg: DecodedMessage, routedTo: Channel | undefined): Channel | undefined {
    if (msg.producerId !== null) {
      const named = this.router.get(msg.producerId);
      if (named?.pumping || !this.sawShortMarker) return named;
      return this.pumpQueue[0];
    }
    this.sawShortMarker = true;
    if (routedTo?.pumping) return routedTo;
    if (this.lastPumpupRow?.pumping) return this.lastPumpupRow;
    return this.pumpQueue[0];
  }

  /** Delivers a row; returns the channel when exactly one took it. */
  private route(msg: DecodedMessage): Channel | undefined {
    const targets = this.router.route(msg);
    if (targets.length === 1) {
      const channel = targets[0] as Channel;
      this.deliver(channel, msg, false);
      return channel;
    }
    if (targets.length === 0) {
      this.counters.unroutableMessages++;
      return undefined;
    }
    this.counters.ambiguousMessages++;
    this.host.ambiguous(
      Object.keys(msg.dimension),
      targets.map((t) => t.producerId),
    );
    for (let i = 0; i < targets.length; i++) {
      // Normalization works in place and differs per producer: every target but the last gets a copy.
      const own =
        i === targets.length - 1
          ? msg
          : { ...msg, realtimeData: Object.assign(Object.create(null), msg.realtimeData) as Record<string, unknown> };
      this.deliver(targets[i] as Channel, own, true);
    }
    return undefined;
  }

  private deliver(channel: Channel, msg: DecodedMessage, ambiguous: boolean): void {
    if (msg.pumpup) {
      if (!channel.pumping) this.startPumping(channel); // a pumpup the server started itself
      this.lastPumpupRow = channel;
    }
    const out: AnalyticsMessage = toAnalyticsMessage(msg, channel.schema, channel.sourceId, this.normalize, Date.now());
    if (ambiguous) out.ambiguous = true;
    this.counters.messagesDelivered++;
    let left = channel.members.size;
    for (const member of channel.members) {
      try {
        // Members are independent consumers (e.g. two Node-RED flows): each but the last gets a copy made
        // before anyone saw the message, so one consumer mutating its msg cannot change another's.
        member.deliver(--left === 0 ? out : copyMessage(out));
      } catch (err) {
        // A listener's bug must not kill the socket handler (and with it the process), nor starve the other members.
        this.host.listenerFailed('message', channel.producerId, err);
      }
    }
  }

  private completePumpup(channel: Channel): void {
    if (!channel.pumping) return; // a stray marker: completing would evict a snapshot that was never sent
    this.stopPumping(channel);
    channel.setPhase('ready', 'pumpup complete');
    for (const member of channel.members) {
      try {
        member.pumpupComplete();
      } catch (err) {
        this.host.listenerFailed('pumpupComplete', channel.producerId, err);
      }
    }
    this.host.pumpupCompleted(channel);
  }
}

function isEmpty(o: Record<string, string>): boolean {
  for (const _ in o) return false;
  return true;
}

/** A copy whose dimension and measures are objects of its own (prototype-free, like the original's). */
function copyMessage(m: AnalyticsMessage): AnalyticsMessage {
  return {
    ...m,
    dimension: Object.assign(Object.create(null), m.dimension) as Record<string, string>,
    measures: Object.assign(Object.create(null), m.measures) as Record<string, unknown>,
  };
}
