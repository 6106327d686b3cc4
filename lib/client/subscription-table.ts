// Every subscription of one client, and the one owner of its state: the Channels by producer, their
// phases, the pumpup bookkeeping (which pumpups run, which one a short end-of-pumpup marker ends) and
// the routing of decoded rows (FrameRouter). The supervisor decides WHEN a channel moves (a POST
// answered, a redirect sent, the connection lost); the table moves it and tells the members.
// dispatch() is the hot path (up to 100k frames/s): route, turn into AnalyticsMessage, deliver. No
// logging, no per-field try/catch; listener exceptions are caught once per delivery.
import type { AnalyticsMessage, FaultCause } from '../api';
import type { Clock } from '../clock';
import { isEmpty, type DecodedMessage, type MeasureTypesOf } from '../frames/decode';
import { copyMessage, toAnalyticsMessage } from '../frames/message';
import type { ProducerSchema } from '../frames/producer-schema';
import { FrameRouter } from '../frames/router';
import type { SubscriptionResponse } from '../rest/rest-client';
import type { ClientCounters } from './counters';
import { Channel } from './subscription';

/** What the table reports (it never calls back into the connection). */
export interface TableReporter {
  /** A short-form frame matched several producers (called for every such frame). */
  ambiguous(dimensionKeys: string[], producers: string[]): void;
  /** A user listener threw. */
  listenerFailed(event: string, producerId: string, err: unknown): void;
}

export class SubscriptionTable {
  private readonly channels = new Map<string, Channel>();
  private readonly router = new FrameRouter<Channel>();
  /** Channels whose pumpup is running, oldest first. */
  private readonly pumpQueue: Channel[] = [];
  /** The channel of the latest pumpup row (short-form markers usually follow their last row). */
  private lastPumpupRow: Channel | undefined;
  /** A marker without producerId was seen: the feed uses (also) the short envelope. */
  private sawShortMarker = false;

  constructor(
    private readonly counters: ClientCounters,
    private readonly reporter: TableReporter,
    private readonly normalize: boolean,
    private readonly clock: Clock,
  ) {
    this.measureTypesOf = normalize
      ? (producerId, dimension) => this.router.only(producerId, dimension)?.schema.measureTypes
      : undefined;
  }

  // ---- membership --------------------------------------------------------------------------------

  get(producerId: string): Channel | undefined {
    return this.channels.get(producerId);
  }

  /** A snapshot of the channels (safe to iterate across awaits). */
  list(): Channel[] {
    return [...this.channels.values()];
  }

  /** A new channel, pending its POST. */
  add(producerId: string, sourceId: string | undefined): Channel {
    const channel = new Channel(producerId, sourceId);
    this.channels.set(producerId, channel);
    this.router.add(channel);
    return channel;
  }

  /** The last member left: no more rows, no more pumpup. */
  remove(channel: Channel): void {
    channel.removed = true;
    this.channels.delete(channel.producerId);
    this.router.remove(channel);
    this.stopPumping(channel);
  }

  /** The producer's declared dimension names and measure types arrived: routes are recomputed. */
  setSchema(channel: Channel, schema: ProducerSchema): void {
    channel.schema = schema;
    this.router.invalidate();
  }

  // ---- phases ------------------------------------------------------------------------------------

  /** Needs a POST: new, or refused and subscribed to again. */
  pending(channel: Channel, reason: string): void {
    channel.setPhase('pending', reason);
  }

  /** A fresh pumpup was asked for: the channel is posted again (new POST, new redirect). */
  pumpupRequested(channel: Channel): void {
    this.stopPumping(channel);
    channel.failure = null;
    channel.setPhase('pending', 'pumpup requested');
  }

  posted(channel: Channel, response: SubscriptionResponse): void {
    channel.response = response;
    channel.failure = null;
    channel.cause = null;
    channel.setPhase('posted', 'subscribed over REST');
  }

  /** The server refused the POST (a 4xx): failed until its retry is due. */
  refused(channel: Channel, failure: string, cause: FaultCause): void {
    channel.failure = failure;
    channel.cause = cause;
    channel.response = null;
    channel.setPhase('failed', failure);
  }

  /** The redirect went out: its pumpup runs. */
  redirected(channel: Channel): void {
    this.startPumping(channel);
    channel.setPhase('subscribed', 'pumpup in progress');
  }

  /** The connection is gone: no pumpup runs, and every channel not refused needs a POST again. */
  lost(reason: string): void {
    this.endPumpups();
    for (const channel of this.channels.values()) {
      if (channel.phase === 'failed') continue;
      channel.response = null;
      channel.setPhase('pending', reason);
    }
  }

  /** disconnect(): the streams were ended on the server; every channel not refused needs a POST. */
  stopped(reason: string): void {
    for (const channel of this.channels.values()) if (channel.phase !== 'failed') channel.setPhase('pending', reason);
  }

  /** Marks every refused channel that still has members as due for its retry; true if any. */
  retryRefused(): boolean {
    let due = false;
    for (const c of this.channels.values()) if (c.phase === 'failed' && c.members.size > 0) c.retryDue = due = true;
    return due;
  }

  // ---- queries -----------------------------------------------------------------------------------

  /** Something for a reconcile pass to do: a channel not refused, or a refused one due for retry. */
  hasWork(): boolean {
    for (const c of this.channels.values()) if (c.phase !== 'failed' || c.retryDue) return true;
    return false;
  }

  /** Every channel not refused has its snapshot, and there is at least one. */
  allReady(): boolean {
    let active = 0;
    for (const c of this.channels.values()) {
      if (c.phase === 'failed') continue;
      if (c.phase !== 'ready') return false;
      active++;
    }
    return active > 0;
  }

  anyRefused(): boolean {
    for (const c of this.channels.values()) if (c.phase === 'failed') return true;
    return false;
  }

  /** The cause of the first refused subscription, if any. */
  refusalCause(): FaultCause | undefined {
    for (const c of this.channels.values()) if (c.phase === 'failed' && c.cause) return c.cause;
    return undefined;
  }

  failureSummary(): string | undefined {
    const failed = [...this.channels.values()].filter((c) => c.phase === 'failed');
    return failed.length
      ? `${failed.length} subscription(s) refused: ${failed.map((c) => `${c.producerId} (${c.failure})`).join('; ')}`
      : undefined;
  }

  // ---- frames (hot) ------------------------------------------------------------------------------

  /**
   * For decodeFrame: the measure types of the one producer a frame goes to, so that the decoder normalizes its
   * values in the pass that checks them. Undefined when values are not normalized.
   */
  readonly measureTypesOf: MeasureTypesOf | undefined;

  /** Routes and delivers one decoded message; true when it completed a pumpup. */
  dispatch(msg: DecodedMessage): boolean {
    if (msg.kind === 'heartbeat') {
      this.counters.heartbeatsReceived++;
      return false;
    }
    // The guide's RoutingService sample carries a row in its pumpupComplete frame: deliver it first.
    const hasRow = msg.kind !== 'pumpupComplete' || !isEmpty(msg.dimension);
    let routedTo: Channel | undefined;
    if (hasRow) routedTo = this.route(msg);
    if (msg.kind !== 'pumpupComplete') return false;
    const channel = this.endedPumpup(msg, routedTo);
    if (channel) return this.completePumpup(channel);
    if (!hasRow) this.counters.unroutableMessages++;
    return false;
  }

  private startPumping(channel: Channel): void {
    if (channel.pumping) return;
    channel.pumping = true;
    this.pumpQueue.push(channel);
  }

  private stopPumping(channel: Channel): void {
    channel.pumping = false;
    if (this.lastPumpupRow === channel) this.lastPumpupRow = undefined;
    const i = this.pumpQueue.indexOf(channel);
    if (i >= 0) this.pumpQueue.splice(i, 1);
  }

  /** The socket is gone (or going): no pumpup runs any more. */
  endPumpups(): void {
    for (const channel of this.pumpQueue) channel.pumping = false;
    this.pumpQueue.length = 0;
    this.lastPumpupRow = undefined;
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
    const first = targets[0];
    if (targets.length === 1 && first !== undefined) {
      this.deliver(first, msg, false);
      return first;
    }
    if (first === undefined) {
      this.counters.unroutableMessages++;
      return undefined;
    }
    this.counters.ambiguousMessages++;
    this.reporter.ambiguous(
      Object.keys(msg.dimension),
      targets.map((t) => t.producerId),
    );
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i];
      if (target === undefined) continue;
      // Normalization works in place and differs per producer: every target but the last gets a copy.
      const own =
        i === targets.length - 1
          ? msg
          : { ...msg, realtimeData: Object.assign(Object.create(null), msg.realtimeData) as Record<string, unknown> };
      this.deliver(target, own, true);
    }
    return undefined;
  }

  private deliver(channel: Channel, msg: DecodedMessage, ambiguous: boolean): void {
    if (msg.pumpup) {
      if (!channel.pumping) this.startPumping(channel); // a pumpup the server started itself
      this.lastPumpupRow = channel;
    }
    const out: AnalyticsMessage = toAnalyticsMessage(
      msg,
      channel.schema,
      channel.sourceId,
      this.normalize,
      this.clock.now(),
    );
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
        this.reporter.listenerFailed('message', channel.producerId, err);
      }
    }
  }

  /** Ends a running pumpup; false for a stray marker (completing would evict a snapshot never sent). */
  private completePumpup(channel: Channel): boolean {
    if (!channel.pumping) return false;
    this.stopPumping(channel);
    channel.setPhase('ready', 'pumpup complete');
    for (const member of channel.members) {
      try {
        member.pumpupComplete();
      } catch (err) {
        this.reporter.listenerFailed('pumpupComplete', channel.producerId, err);
      }
    }
    return true;
  }
}
