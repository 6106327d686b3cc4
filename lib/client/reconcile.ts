// The reconcile pass: everything that has to happen to get from "what the user subscribed to" to
// "streams flowing", done by one idempotent pass: log in if needed, learn the default source and the
// producer descriptors, POST every channel that needs it, open the socket if none, send every redirect.
// Any loss (close, error, watchdog, 401, server error frame) resets the channels to "needs a POST" and
// schedules the next pass after a backoff with full jitter. Faults that need someone to act
// (credentials, certificate, token, refused endpoint, a 4xx on a subscription) follow a second backoff
// that starts short and caps at minutes (faultBackoff); retryNow() skips either wait. Every fault is
// classified into a FaultCause (cause.ts) that rides on the state event and stays readable as lastCause.
import type { FaultCause } from '../api';
import { AuthenticationError, describeError, HttpError, isTransient, ProxyError } from '../errors';
import type { RedirectEvent } from '../stream/redirect';
import { redirectFrame } from '../stream/redirect';
import { causeOf } from './cause';
import { streamEndpoint } from './endpoint-policy';
import type { Channel } from './subscription';
import { SupervisorCore } from './supervisor-core';

export abstract class Reconciler extends SupervisorCore {
  private loop: Promise<void> | null = null;
  private dirty = false;

  /** Opens the socket on a checked endpoint (socket-lifecycle.ts). */
  protected abstract openSocket(url: string): void;

  /** Runs reconcile() now, or once more after the running pass; waits for a scheduled retry instead. */
  protected kick(): Promise<void> {
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

  /** A pass is running. */
  protected get reconciling(): boolean {
    return this.loop !== null;
  }

  private async reconcile(epoch: number): Promise<void> {
    if (!this.table.hasWork()) return;
    if (!this.socket) this.setState('connecting', this.hadConnection ? 'reconnecting' : 'subscribing');
    try {
      await this.restClient.tokens.get();
      for (const channel of this.table.list()) {
        if (!this.alive(epoch)) return;
        if (!needsPost(channel)) continue;
        await this.post(channel, epoch);
        if (!this.alive(epoch)) return;
        if (channel.phase === 'posted' && this.socket?.isOpen) await this.redirect(channel, epoch);
      }
      if (!this.alive(epoch)) return;
      const posted = this.table.list().filter((c) => c.response !== null);
      if (posted.length === 0) {
        this.closeSocket('no active subscription');
        const summary = this.table.failureSummary() ?? 'no active subscription';
        this.setState('idle', summary, { cause: this.table.refusalCause() });
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

  /**
   * POST one channel. A 4xx (other than 401, which authed() retries) fails this channel only, and
   * it is posted again after the refusal backoff (a licence may free up, a 404 may be a restart).
   */
  private async post(channel: Channel, epoch: number): Promise<void> {
    channel.retryDue = false;
    if (!channel.sourceId) channel.sourceId = await this.restClient.defaultSourceId();
    await this.loadSchema(channel);
    if (!this.alive(epoch) || channel.removed) return;
    try {
      const response = await this.restClient.subscribe(channel.sourceId, channel.producerId);
      if (channel.removed) {
        // Unsubscribed while the POST was in flight: undo it.
        void this.restClient.unsubscribe(channel.sourceId, channel.producerId).catch(() => undefined);
        return;
      }
      if (!this.alive(epoch)) return;
      this.table.posted(channel, response);
      if (!this.table.anyRefused()) this.refusalBackoff.reset();
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
      const cause = causeOf(err, `subscription to ${channel.producerId} refused: ${failure}`);
      this.table.refused(channel, failure, cause);
      if (!repeated) this.warn(cause.detail);
      this.scheduleRefusalRetry();
    }
  }

  /** Posts the refused subscriptions again after the refusal backoff. */
  private scheduleRefusalRetry(): void {
    if (this.refusalTimer || this.closing) return;
    this.refusalTimer = this.clock.setTimeout(() => {
      this.refusalTimer = null;
      this.table.retryRefused();
      void this.kick();
    }, this.refusalBackoff.next().delayMs);
  }

  /** Gives the channel its producer's declared dimension names and measure types. */
  private async loadSchema(channel: Channel): Promise<void> {
    const schema = await this.schemas.get(channel.sourceId, channel.producerId);
    if (schema && schema !== channel.schema) {
      this.table.setSchema(channel, schema);
    } else if (!schema) {
      this.warnOnce(
        `schema:${channel.producerId}`,
        `producer ${channel.producerId} is not listed by the server; numeric strings stay strings`,
      );
    }
  }

  /** Stage one of (un)subscribing over the socket; false when there is no socket to send on. */
  protected async sendRedirect(channel: Channel, eventName: RedirectEvent): Promise<boolean> {
    const response = channel.response;
    const socket = this.socket;
    if (!response || !socket) return false;
    const { token } = await this.restClient.tokens.get();
    return this.socket === socket && socket.send(redirectFrame(response, token, eventName));
  }

  protected async redirect(channel: Channel, epoch: number): Promise<void> {
    const sent = await this.sendRedirect(channel, 'subscriptionRedirect');
    if (!sent || !this.alive(epoch) || channel.removed) return;
    this.table.redirected(channel);
    if (this.current === 'ready') this.setState('connected', `pumpup of ${channel.producerId}`);
  }

  /** A pass failed before or without the socket: classify, then lose (or retry the pass). */
  protected fail(err: unknown): void {
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
  protected lose(reason: string, permanent: unknown, cause: FaultCause): void {
    if (this.closing) return;
    this.epoch++;
    this.terminateSocket();
    this.table.lost(reason);
    if (!this.table.hasWork()) {
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
}

/** A channel whose POST is due: new, reset by a loss, or refused and due for its retry. */
function needsPost(channel: Channel): boolean {
  if (channel.removed) return false;
  return channel.phase === 'pending' || (channel.phase === 'failed' && channel.retryDue);
}
