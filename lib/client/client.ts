// The Open Interface client of one supervisor: one token, one WebSocket for every subscription.
//
// Everything that has to happen to get from "what the user subscribed to" to "streams flowing" is done
// by one idempotent pass, reconcile(): log in if needed, learn the default source and the producer
// descriptors, POST every channel that needs it, open the socket if none, send every redirect. Any loss
// (close, error, watchdog, 401, server error frame) resets the channels to "needs a POST" and schedules
// the next pass after a backoff with full jitter. Faults that need someone to act (credentials,
// certificate, token, refused endpoint, a 4xx on a subscription) follow a second backoff that starts
// short and caps at minutes (faultBackoff); retryNow() skips either wait. Every fault is classified
// into a FaultCause (cause.ts) that rides on the state event and stays readable as lastCause.
// A per-instance `epoch` is bumped on every loss and on close(), so a pass that was in flight when the
// world changed stops at its next await instead of acting on stale state.
import { EventEmitter } from 'node:events';
import type {
  AnalyticsClient,
  ClientOptions,
  ClientReconfiguration,
  ConnectionState,
  FaultCause,
  StateEvent,
  Subscription,
} from '../api';
import {
  AuthenticationError,
  ClosedError,
  describeError,
  HttpError,
  isTransient,
  ProxyError,
  StreamError,
} from '../errors';
import { HEARTBEAT_TEXT } from '../frames/decode';
import type { FrameRouter } from '../frames/router';
import type { ExtraClientOptions, ResolvedOptions } from '../options';
import { resolveOptions } from '../options';
import { Redactor } from '../redact';
import { RestClient } from '../rest/rest-client';
import { Backoff } from '../stream/backoff';
import type { CloseInfo } from '../stream/stream-socket';
import type { RedirectEvent } from '../stream/redirect';
import { redirectFrame } from '../stream/redirect';
import { StreamSocket } from '../stream/stream-socket';
import { causeOf, makeCause } from './cause';
import { streamEndpoint } from './endpoint-policy';
import type { ClientCounters, DispatchHost } from './frame-dispatcher';
import { FrameDispatcher, newCounters } from './frame-dispatcher';
import { InputHealth } from './input-health';
import { SchemaCache } from './schema-cache';
import type { ChannelPhase } from './subscription';
import { Channel, publicState, SubscriptionHandle } from './subscription';

export class OpenInterfaceClient extends EventEmitter implements AnalyticsClient {
  private readonly counters = newCounters();

  private o: ResolvedOptions;
  /** The options as given (reconfigure() merges into them). */
  private given: ClientOptions & ExtraClientOptions;
  private readonly redactor = new Redactor();
  private rest: RestClient;
  private readonly backoff: Backoff;
  /** For faults that need someone to act: starts short, caps at minutes (see resolveOptions). */
  private readonly faultBackoff: Backoff;
  /** For subscriptions refused with a 4xx (their own timer: the connection may be fine). */
  private readonly refusalBackoff: Backoff;
  private refusalTimer: NodeJS.Timeout | null = null;
  /** disconnect() was called: nothing connects until connect(). */
  private stopped = false;
  private readonly input: InputHealth;
  private cause: FaultCause | null = null;
  private readonly channels = new Map<string, Channel>();
  private readonly frames: FrameDispatcher;
  private readonly router: FrameRouter<Channel>;
  private schemas: SchemaCache;

  private current: ConnectionState = 'idle';
  private socket: StreamSocket | null = null;
  private epoch = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private dirty = false;
  private closing: Promise<void> | null = null;
  private hadConnection = false;
  private serverError: { text: string; code: number } | null = null;
  /** unsubscriptionRedirects sent whose DELETE has not finished (see onServerError). */
  private unsubscribing = 0;
  private readonly warned = new Set<string>();

  constructor(options: ClientOptions & ExtraClientOptions) {
    super();
    this.given = options;
    this.o = resolveOptions(options);
    this.rest = new RestClient(this.o, this.redactor);
    this.backoff = new Backoff(this.o.backoff);
    const faults = { ...this.o.faultBackoff, stableMs: 0, halfJitter: true };
    this.faultBackoff = new Backoff(faults);
    this.refusalBackoff = new Backoff(faults);
    this.input = new InputHealth(
      this.o.logger,
      (t) => this.redact(t),
      (cause) => this.safeEmit('input', cause),
    );
    this.schemas = new SchemaCache((sourceId) => this.rest.producers(sourceId));
    this.frames = new FrameDispatcher(this.dispatchHost(), this.counters, this.o.normalize, this.o.maxPayload);
    this.router = this.frames.router;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** A snapshot of the counters. */
  get stats(): ClientCounters {
    return { ...this.counters, ...this.input.counts, logins: this.rest.logins };
  }

  get lastCause(): FaultCause | null {
    return this.cause;
  }

  /** The cause of bad or dropped input so far (bad frames outrank dropped values); null when none. */
  get inputCause(): FaultCause | null {
    return this.input.cause();
  }

  retryNow(): void {
    if (this.closing) return;
    let due = false;
    for (const channel of this.channels.values()) {
      if (channel.phase === 'failed' && channel.members.size > 0) channel.retryDue = due = true;
    }
    if (this.refusalTimer) clearTimeout(this.refusalTimer);
    this.refusalTimer = null;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      due = true;
    }
    if (due) void this.kick();
  }

  /** Masks this client's secrets (password, tokens) in any text. */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  // ---- REST queries -------------------------------------------------------------------------------

  async login(): Promise<{ subject: string; expiresAt: number }> {
    return this.rest.login();
  }

  sources(): Promise<unknown[]> {
    return this.rest.sources();
  }

  producers(sourceId?: string): Promise<unknown[]> {
    return this.rest.producers(sourceId);
  }

  dictionary(producerId: string, locale: string, sourceId?: string): Promise<unknown> {
    return this.rest.dictionary(producerId, locale, sourceId);
  }

  dimdata(kind: string, sourceId?: string): Promise<unknown[]> {
    return this.rest.dimdata(kind, sourceId);
  }

  // ---- subscriptions ------------------------------------------------------------------------------

  subscribe(producerId: string, options?: { sourceId?: string }): Subscription {
    if (typeof producerId !== 'string' || !producerId.trim()) {
      const handle = new SubscriptionHandle(new Channel(String(producerId), undefined), null);
      handle.setState('failed', 'a producer id is required');
      return handle;
    }
    if (this.closing) {
      const handle = new SubscriptionHandle(new Channel(producerId, options?.sourceId), null);
      handle.setState('failed', 'the client is closed');
      return handle;
    }
    let channel = this.channels.get(producerId);
    const fresh = !channel;
    if (!channel) {
      channel = new Channel(producerId, options?.sourceId || undefined);
      this.channels.set(producerId, channel);
      this.router.add(channel);
    } else if (options?.sourceId && channel.requestedSourceId && options.sourceId !== channel.requestedSourceId) {
      this.warnOnce(
        `source:${producerId}`,
        `${producerId} is already subscribed on source ${channel.requestedSourceId}; one subscription per producer`,
      );
    }
    const handle = new SubscriptionHandle(channel, this);
    channel.members.add(handle);
    if (fresh || channel.phase === 'failed') {
      channel.setPhase('pending', 'subscribing');
      void this.kick();
    } else {
      handle.setState(publicState(channel.phase), channel.failure ?? undefined);
      // A newcomer on a running channel has missed the snapshot: ask for a fresh pumpup.
      if (channel.phase === 'ready' || channel.phase === 'subscribed') void this.requestPumpup(channel);
    }
    return handle;
  }

  async unsubscribe(subscription: Subscription): Promise<void> {
    if (!(subscription instanceof SubscriptionHandle) || subscription.state === 'closed') return;
    const channel = subscription.channel;
    if (!channel.members.has(subscription)) {
      subscription.setState('closed', 'unsubscribed');
      return;
    }
    channel.members.delete(subscription);
    subscription.setState('closed', 'unsubscribed');
    if (channel.members.size > 0) return;
    await this.dropChannel(channel);
  }

  /** Re-subscribes one producer (new POST, new redirect), which makes the server send a fresh pumpup. */
  requestPumpup(channel: Channel): Promise<void> {
    if (this.closing || channel.removed) return Promise.resolve();
    this.frames.stopPumping(channel);
    channel.failure = null;
    channel.setPhase('pending', 'pumpup requested');
    return this.kick();
  }

  async close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = this.shutdown();
    return this.closing;
  }

  // ---- the reconcile loop -------------------------------------------------------------------------

  /** Runs reconcile() now, or once more after the running pass; waits for a scheduled retry instead. */
  private kick(): Promise<void> {
    if (this.closing || this.stopped || this.retryTimer) return Promise.resolve();
    if (this.loop) {
      this.dirty = true;
      return this.loop;
    }
    const loop = (async () => {
      do {
        this.dirty = false;
        await this.reconcile(this.epoch);
      } while (this.dirty && !this.closing && !this.retryTimer);
    })().finally(() => {
      if (this.loop === loop) this.loop = null;
    });
    this.loop = loop;
    return loop;
  }

  private alive(epoch: number): boolean {
    return epoch === this.epoch && !this.closing;
  }

  private async reconcile(epoch: number): Promise<void> {
    if (!this.hasWork()) return;
    if (!this.socket) this.setState('connecting', this.hadConnection ? 'reconnecting' : 'subscribing');
    try {
      await this.rest.tokens.get();
      for (const channel of [...this.channels.values()]) {
        if (!this.alive(epoch)) return;
        if (!needsPost(channel)) continue;
        await this.post(channel, epoch);
        if (!this.alive(epoch)) return;
        if ((channel.phase as ChannelPhase) === 'posted' && this.socket?.isOpen) await this.redirect(channel, epoch);
      }
      if (!this.alive(epoch)) return;
      const posted = [...this.channels.values()].filter((c) => c.response !== null);
      if (posted.length === 0) {
        this.closeSocket('no active subscription');
        this.setState('idle', this.failureSummary() ?? 'no active subscription', { cause: this.refusalCause() });
        return;
      }
      const endpoint = posted[0]?.response?.endpoint ?? '';
      if (posted.some((c) => c.response?.endpoint !== endpoint)) {
        this.warnOnce(
          'endpoints',
          'the server returned different WebSocket endpoints; every stream uses the first (one socket per supervisor)',
        );
      }
      if (!this.socket) this.openSocket(streamEndpoint(endpoint, this.o.url, this.o.streamHosts));
      this.updateReadiness();
    } catch (err) {
      if (!this.alive(epoch)) return;
      this.fail(err);
    }
  }

  private hasWork(): boolean {
    for (const c of this.channels.values()) if (c.phase !== 'failed' || c.retryDue) return true;
    return false;
  }

  /**
   * POST one channel. A 4xx (other than 401, which authed() retries) fails this channel only, and
   * it is posted again after the refusal backoff (a licence may free up, a 404 may be a restart).
   */
  private async post(channel: Channel, epoch: number): Promise<void> {
    channel.retryDue = false;
    if (!channel.sourceId) channel.sourceId = await this.rest.defaultSourceId();
    await this.loadSchema(channel);
    if (!this.alive(epoch) || channel.removed) return;
    try {
      const response = await this.rest.subscribe(channel.sourceId, channel.producerId);
      if (channel.removed) {
        // Unsubscribed while the POST was in flight: undo it.
        void this.rest.unsubscribe(channel.sourceId, channel.producerId).catch(() => undefined);
        return;
      }
      if (!this.alive(epoch)) return;
      channel.response = response;
      channel.failure = null;
      channel.cause = null;
      channel.setPhase('posted', 'subscribed over REST');
      if (![...this.channels.values()].some((c) => c.phase === 'failed')) this.refusalBackoff.reset();
    } catch (err) {
      // A proxy's refusal concerns the connection, not this subscription.
      if (
        isTransient(err) ||
        err instanceof AuthenticationError ||
        err instanceof ProxyError ||
        (err instanceof HttpError && err.status === 401)
      )
        throw err;
      if (!this.alive(epoch)) return;
      const failure = this.redact(describeError(err));
      const repeated = failure === channel.failure;
      channel.failure = failure;
      channel.cause = causeOf(err, `subscription to ${channel.producerId} refused: ${failure}`);
      channel.response = null;
      channel.setPhase('failed', failure);
      if (!repeated) this.warn(channel.cause.detail);
      this.scheduleRefusalRetry();
    }
  }

  /** Posts the refused subscriptions again after the refusal backoff. */
  private scheduleRefusalRetry(): void {
    if (this.refusalTimer || this.closing) return;
    this.refusalTimer = setTimeout(() => {
      this.refusalTimer = null;
      for (const c of this.channels.values()) if (c.phase === 'failed' && c.members.size > 0) c.retryDue = true;
      void this.kick();
    }, this.refusalBackoff.next().delayMs);
  }

  /** The cause of the first refused subscription, if any. */
  private refusalCause(): FaultCause | undefined {
    for (const c of this.channels.values()) if (c.phase === 'failed' && c.cause) return c.cause;
    return undefined;
  }

  /** Gives the channel its producer's declared dimension names and measure types. */
  private async loadSchema(channel: Channel): Promise<void> {
    const schema = await this.schemas.get(channel.sourceId, channel.producerId);
    if (schema && schema !== channel.schema) {
      channel.schema = schema;
      this.router.invalidate();
    } else if (!schema) {
      this.warnOnce(
        `schema:${channel.producerId}`,
        `producer ${channel.producerId} is not listed by the server; numeric strings stay strings`,
      );
    }
  }

  /** Stage one of (un)subscribing over the socket; false when there is no socket to send on. */
  private async sendRedirect(channel: Channel, eventName: RedirectEvent): Promise<boolean> {
    const response = channel.response;
    const socket = this.socket;
    if (!response || !socket) return false;
    const { token } = await this.rest.tokens.get();
    return this.socket === socket && socket.send(redirectFrame(response, token, eventName));
  }

  private async redirect(channel: Channel, epoch: number): Promise<void> {
    const sent = await this.sendRedirect(channel, 'subscriptionRedirect');
    if (!sent || !this.alive(epoch) || channel.removed) return;
    this.frames.startPumping(channel);
    channel.setPhase('subscribed', 'pumpup in progress');
    if (this.current === 'ready') this.setState('connected', `pumpup of ${channel.producerId}`);
  }

  // ---- the socket ---------------------------------------------------------------------------------

  /** Opens the socket on `url`, which streamEndpoint() has checked against the transport policy. */
  private openSocket(url: string): void {
    this.serverError = null;
    const socket: StreamSocket = new StreamSocket(url, this.o, {
      onOpen: () => {
        if (this.socket === socket) void this.socketOpened(socket, this.epoch);
      },
      onMessage: (data, isBinary) => {
        if (this.socket === socket) this.frames.onFrame(data, isBinary);
      },
      onStale: (silentMs) => {
        if (this.socket === socket) this.setState('stale', `no frame for ${silentMs} ms`);
      },
      onClose: (info) => {
        if (this.socket === socket) this.socketClosed(info);
      },
    });
    this.socket = socket;
  }

  private async socketOpened(socket: StreamSocket, epoch: number): Promise<void> {
    this.backoff.markConnected();
    this.faultBackoff.reset();
    if (this.hadConnection) this.counters.reconnects++;
    this.hadConnection = true;
    this.setState('connected', 'socket open');
    try {
      for (const channel of [...this.channels.values()]) {
        if (!this.alive(epoch) || this.socket !== socket) return;
        if (channel.phase === 'posted') await this.redirect(channel, epoch);
      }
      if (this.alive(epoch)) this.updateReadiness();
    } catch (err) {
      if (this.alive(epoch)) this.fail(err);
    }
  }

  private socketClosed(info: CloseInfo): void {
    this.socket = null;
    if (info.protocolViolation) this.countMalformed(info.protocolViolation, '');
    const err = info.error;
    if (err instanceof StreamError && (err.status === 401 || err.status === 403)) this.rest.tokens.clear();
    let reason =
      this.serverError?.text ??
      (err ? err.message : `socket closed (${info.code}${info.reason ? ` ${info.reason}` : ''})`);
    if (info.protocolViolation && !this.serverError) reason = `socket closed: ${info.protocolViolation}`;
    reason = this.redact(reason);
    this.lose(reason, err && !isTransient(err) ? err : null, this.closeCause(info, reason));
  }

  private closeCause(info: CloseInfo, reason: string): FaultCause {
    if (this.serverError) return makeCause('server-error', reason, this.serverError.code);
    if (info.protocolViolation?.startsWith('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'))
      return makeCause('frame-too-large', reason);
    if (info.protocolViolation) return makeCause('protocol', reason);
    if (info.stale) return makeCause('no-heartbeat', reason);
    return info.error ? causeOf(info.error, reason) : makeCause('closed', reason);
  }

  private closeSocket(reason: string): void {
    const socket = this.socket;
    this.socket = null;
    socket?.close(reason);
  }

  // ---- frames ------------------------------------------------------------------------------------

  private dispatchHost(): DispatchHost {
    return {
      echoHeartbeat: () => this.socket?.send(HEARTBEAT_TEXT),
      serverError: (code, message) => this.onServerError(code, message),
      malformed: (reason, sample) => this.countMalformed(reason, sample),
      dropped: (d) => this.input.dropped(d),
      ambiguous: (keys, producers) =>
        this.warnOnce(
          'ambiguous',
          `short-form frames with dimension keys {${keys.join(', ')}} match ${producers.join(' and ')}; delivered to each, flagged "ambiguous" (use the long envelope or subscribe to only one of them)`,
        ),
      pumpupCompleted: () => this.updateReadiness(),
      listenerFailed: (event, producerId, err) =>
        this.o.logger.error(`a '${event}' listener of ${producerId} threw: ${this.redact(describeError(err))}`),
    };
  }

  /**
   * The guide's error frame. The server closes the socket after it when the fault concerns the socket
   * (revoked token, bad first redirect), but only reports a refused later redirect: that leaves a
   * subscription silently without data, so any error frame makes us recover (re-POST, new redirects).
   * Exception: the answer to an unsubscriptionRedirect, which concerns a stream we are dropping anyway.
   */
  private onServerError(code: number, message: string): void {
    const text = this.redact(`server error ${code}${message ? `: ${message}` : ''}`);
    if (this.unsubscribing > 0) {
      this.warn(`while unsubscribing: ${text}`);
      return;
    }
    this.serverError = { text, code };
    this.socket?.close('server error');
  }

  private updateReadiness(): void {
    if (!this.socket?.isOpen) return;
    let active = 0;
    for (const c of this.channels.values()) {
      if (c.phase === 'failed') continue;
      if (c.phase !== 'ready') return;
      active++;
    }
    if (active > 0 && this.current !== 'ready')
      this.setState('ready', this.failureSummary() ?? 'every subscription has its snapshot');
  }

  private countMalformed(reason: string, sample: string): void {
    this.input.malformed(reason, sample);
    this.safeEmit('malformed', { reason, sample });
  }

  // ---- losses and retries -------------------------------------------------------------------------

  /** A pass failed before or without the socket: classify, then lose (or retry the pass). */
  private fail(err: unknown): void {
    const reason = this.redact(describeError(err));
    const cause = causeOf(err, reason);
    if (isTransient(err) && this.socket?.isOpen) {
      // The stream is fine; only a REST step failed (e.g. a POST got 503). Retry the pass later.
      const { delayMs } = this.backoff.next();
      this.cause = cause;
      this.o.logger.warn(`retrying in ${delayMs} ms: ${reason}`);
      this.scheduleRetry(delayMs);
      return;
    }
    this.lose(reason, isTransient(err) ? null : err, cause);
  }

  /** The connection is gone: tear down, reset every channel to "needs a POST", schedule the retry. */
  private lose(reason: string, permanent: unknown, cause: FaultCause): void {
    if (this.closing) return;
    this.epoch++;
    const socket = this.socket;
    this.socket = null;
    socket?.terminate();
    this.frames.resetPumps();
    for (const channel of this.channels.values()) {
      if (channel.phase === 'failed') continue;
      channel.response = null;
      channel.setPhase('pending', reason);
    }
    if (!this.hasWork()) {
      this.setState('idle', reason, { cause });
      return;
    }
    // Fast retries cannot fix a password, a certificate or a refused endpoint: those follow the fault
    // backoff (short at first, minutes later; retryNow() skips it). Network faults follow the backoff.
    const next = permanent ? this.faultBackoff.next() : this.backoff.next();
    const state = permanent instanceof AuthenticationError ? 'auth-failed' : 'disconnected';
    this.setState(state, reason, { attempt: next.attempt, delayMs: next.delayMs, cause });
    this.scheduleRetry(next.delayMs);
  }

  private scheduleRetry(delayMs: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.kick();
    }, delayMs);
  }

  // ---- unsubscribe and close ----------------------------------------------------------------------

  /** The guide's three stages: unsubscriptionRedirect, REST DELETE, close the socket when none is left. */
  private async dropChannel(channel: Channel): Promise<void> {
    channel.removed = true;
    this.channels.delete(channel.producerId);
    this.router.remove(channel);
    this.frames.stopPumping(channel);
    await this.endServerSide(channel);
    if (this.closing) return;
    if (!this.hasWork()) {
      // Stage three: nothing left to stream (refused subscriptions do not need a socket).
      this.epoch++;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.closeSocket('no subscription left');
      this.setState('idle', this.failureSummary() ?? 'no subscription left');
    } else {
      this.updateReadiness();
    }
  }

  /** Stages one and two for a channel the server holds: unsubscriptionRedirect, REST DELETE. */
  private async endServerSide(channel: Channel): Promise<void> {
    const hadSubscription = channel.response !== null;
    this.unsubscribing++;
    try {
      if (hadSubscription && this.socket?.isOpen) await this.sendRedirect(channel, 'unsubscriptionRedirect');
      if (hadSubscription) await this.rest.unsubscribe(channel.sourceId, channel.producerId);
    } catch (err) {
      if (!(err instanceof ClosedError))
        this.warn(`unsubscribing ${channel.producerId}: ${this.redact(describeError(err))}`);
    } finally {
      this.unsubscribing--;
      channel.response = null;
    }
  }

  // ---- connection control (msg.action connect / disconnect / reconnect) ---------------------------

  /**
   * Ends every stream on the server as the guide describes (unsubscriptionRedirect, DELETE), closes
   * the socket and stays down, retrying nothing, until connect(). Subscriptions keep their listeners:
   * connect() subscribes them again and a fresh pumpup follows.
   */
  async disconnect(reason = 'disconnected by flow'): Promise<void> {
    if (this.closing || this.stopped) return;
    this.stopped = true; // before any await: a kick() from now on does nothing
    this.epoch++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.refusalTimer) clearTimeout(this.refusalTimer);
    this.refusalTimer = null;
    this.frames.resetPumps();
    // A disconnect asked for while the host starts (Node-RED creating the flow's nodes) reports its
    // state in a later turn, when the listeners it reaches exist.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await Promise.all([...this.channels.values()].map((c) => this.endServerSide(c)));
    if (!this.stopped || this.closing) return; // connect() or close() came meanwhile
    for (const channel of this.channels.values()) if (channel.phase !== 'failed') channel.setPhase('pending', reason);
    this.closeSocket(reason);
    this.setState('stopped', reason, { cause: makeCause('by-flow', reason) });
  }

  /** Ends a disconnect(), or retries now if the connection is merely waiting for its next attempt. */
  connect(): void {
    if (this.closing) return;
    if (!this.stopped) return this.retryNow();
    this.stopped = false;
    this.setState('connecting', 'connect requested');
    this.retryNow(); // refused subscriptions too
    if (!this.loop) void this.kick();
  }

  /** Drops the socket and connects again at once (a new login only if the token needs one). */
  reconnect(): void {
    if (this.closing) return;
    if (this.stopped) return this.connect();
    if (!this.socket && !this.hasWork()) return;
    this.lose('reconnect requested', null, makeCause('by-flow', 'reconnect requested'));
    this.retryNow();
  }

  /**
   * New URL, tenant or credentials (e.g. from a vault) for the running client: checked like the
   * constructor's (throws on a bad value, changing nothing), then a new REST client and token, and a
   * reconnect with the same subscriptions (still down after disconnect() until connect()).
   */
  reconfigure(changes: ClientReconfiguration): void {
    if (this.closing) return;
    const given = { ...this.given, ...changes };
    const next = resolveOptions(given);
    this.redactor.add(next.password);
    const old = this.rest;
    this.given = given;
    this.o = next;
    this.rest = new RestClient(next, this.redactor);
    this.schemas = new SchemaCache((sourceId) => this.rest.producers(sourceId));
    void old.close();
    // Another server may number its sources differently: the default source is learned again.
    for (const channel of this.channels.values()) if (channel.requestedSourceId === undefined) channel.sourceId = '';
    if (!this.stopped) this.reconnect();
  }

  private async shutdown(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.refusalTimer) clearTimeout(this.refusalTimer);
    this.refusalTimer = null;
    this.input.dispose();
    const channels = [...this.channels.values()];
    const handles = channels.flatMap((c) => [...c.members]);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.o.closeTimeoutMs);
    });
    // Best effort, bounded: a dead server must not hold close() (and a Node-RED redeploy) hostage.
    const unsubscribes = Promise.all(
      channels.map(async (c) => {
        for (const h of c.members) h.setState('closed', 'client closed');
        c.members.clear();
        await this.dropChannel(c);
      }),
    );
    await Promise.race([unsubscribes, deadline]);
    clearTimeout(timer);
    for (const h of handles) h.setState('closed', 'client closed');
    this.epoch++;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      // Stage three: close the socket politely (StreamSocket destroys it after a short grace period).
      socket.close('client closed');
      await socket.whenClosed;
    }
    await this.rest.close();
    this.setState('closed', 'close() called');
  }

  // ---- events -------------------------------------------------------------------------------------

  private setState(
    state: ConnectionState,
    reason?: string,
    extra?: { attempt?: number; delayMs?: number; cause?: FaultCause | undefined },
  ): void {
    if (extra?.cause) this.cause = extra.cause;
    const repeat = state === this.current && state !== 'disconnected' && state !== 'auth-failed';
    this.current = state;
    if (repeat) return;
    const event: StateEvent = { state, at: Date.now() };
    if (reason !== undefined) event.reason = this.redact(reason);
    if (extra?.attempt !== undefined) event.attempt = extra.attempt;
    if (extra?.delayMs !== undefined) event.delayMs = extra.delayMs;
    if (extra?.cause) event.cause = extra.cause;
    this.o.logger.debug(`state ${state}${event.reason ? `: ${event.reason}` : ''}`);
    this.safeEmit('state', event);
  }

  private failureSummary(): string | undefined {
    const failed = [...this.channels.values()].filter((c) => c.phase === 'failed');
    return failed.length
      ? `${failed.length} subscription(s) refused: ${failed.map((c) => `${c.producerId} (${c.failure})`).join('; ')}`
      : undefined;
  }

  private warn(message: string): void {
    const text = this.redact(message);
    this.o.logger.warn(text);
    this.safeEmit('warning', text);
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(message);
  }

  /** Listeners are user code: their exceptions are logged, never thrown into the socket handlers. */
  private safeEmit(event: string, payload: unknown): void {
    try {
      this.emit(event, payload);
    } catch (err) {
      this.o.logger.error(`a '${event}' listener threw: ${this.redact(describeError(err))}`);
    }
  }
}

/** A channel whose POST is due: new, reset by a loss, or refused and due for its retry. */
function needsPost(channel: Channel): boolean {
  if (channel.removed) return false;
  return channel.phase === 'pending' || (channel.phase === 'failed' && channel.retryDue);
}

export function createClient(options: ClientOptions & ExtraClientOptions): AnalyticsClient & OpenInterfaceClient {
  return new OpenInterfaceClient(options);
}
