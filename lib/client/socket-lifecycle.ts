// The one WebSocket of the supervisor: opening it, its frames (the per-frame path: decode, answer
// `--heartbeat--`, hand data to the SubscriptionTable), the server's error frame, and its close,
// classified into a FaultCause for the loss that follows.
import type { FaultCause } from '../api';
import { isTransient, StreamError } from '../errors';
import { decodeFrame, HEARTBEAT_TEXT } from '../frames/decode';
import { FrameTemplates } from '../frames/frame-template';
import type { CloseInfo } from '../stream/stream-socket';
import { StreamSocket } from '../stream/stream-socket';
import { causeOf, makeCause } from './cause';
import { Reconciler } from './reconcile';

export abstract class SocketLifecycle extends Reconciler {
  private serverError: { text: string; code: number } | null = null;
  /** unsubscriptionRedirects sent whose DELETE has not finished (see onServerError). */
  protected unsubscribing = 0;
  /** The frame layouts this server repeats, kept across reconnections (frame-template.ts). */
  private readonly templates = new FrameTemplates();

  /** Opens the socket on `url`, which streamEndpoint() has checked against the transport policy. */
  protected openSocket(url: string): void {
    this.serverError = null;
    const socket: StreamSocket = new StreamSocket(url, this.o, {
      onOpen: () => {
        if (this.socket === socket) void this.socketOpened(socket, this.epoch);
      },
      onMessage: (data, isBinary) => {
        if (this.socket === socket) this.onFrame(data, isBinary);
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

  /** Hot: one frame of the socket (up to 100k/s). One handler per kind of frame. */
  private onFrame(data: Buffer, isBinary: boolean): void {
    this.counters.framesReceived++;
    const frame = decodeFrame(data, isBinary, this.o.maxPayload, this.table.measureTypesOf, this.templates);
    switch (frame.type) {
      case 'message': {
        // Dispatched before anything reaches user code: the decoder normalized with the types of the producer the
        // table's router named, and a listener of the drop report below may (un)subscribe, which changes the router.
        const completed = this.table.dispatch(frame);
        if (frame.dropped) this.input.dropped(frame.dropped);
        if (completed) this.updateReadiness();
        return;
      }
      case 'ping':
        this.counters.heartbeatsReceived++;
        this.socket?.send(HEARTBEAT_TEXT);
        return;
      case 'malformed':
        this.countMalformed(frame.reason, frame.sample);
        return;
      case 'server-error':
        this.counters.serverErrors++;
        this.onServerError(frame.code, frame.message);
        return;
      case 'status':
        return;
    }
  }

  private async socketOpened(socket: StreamSocket, epoch: number): Promise<void> {
    this.backoff.markConnected();
    this.faultBackoff.reset();
    if (this.hadConnection) this.counters.reconnects++;
    this.hadConnection = true;
    this.setState('connected', 'socket open');
    try {
      for (const channel of this.table.list()) {
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
    if (err instanceof StreamError && (err.status === 401 || err.status === 403)) this.restClient.tokens.clear();
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

  private countMalformed(reason: string, raw: string): void {
    const sample = this.redact(raw); // a server may echo the token in a frame it botched
    this.input.malformed(reason, sample);
    this.safeEmit('malformed', { reason, sample });
  }
}
