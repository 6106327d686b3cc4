// The one WebSocket of a client. Owns the socket-level timers: the client heartbeat (`--heartbeat--`
// every interval) and the watchdog, which declares the socket dead after `missedHeartbeats` intervals
// without ANY frame (the server sends a JSON heartbeat every 8 s, so silence means a half-open socket)
// and terminates it. Every timer dies with the socket; `onClose` is reported exactly once.
import WebSocket from 'ws';
import type { ClientOptions as WsClientOptions } from 'ws';
import type { TimerHandle } from '../clock';
import type { AnalyticsError } from '../errors';
import { StreamError } from '../errors';
import { HEARTBEAT_TEXT } from '../frames/decode';
import { handshakeTimeout, toNetworkError } from '../network-error';
import type { ResolvedOptions } from '../options';
import { safeUrl } from '../redact';
import { tunnelConnection } from './proxy-tunnel';

export interface CloseInfo {
  code: number;
  reason: string;
  /** What went wrong, if anything did (handshake refused, TLS, watchdog, protocol violation). */
  error: AnalyticsError | null;
  /** ws refused a frame (too large, invalid UTF-8, protocol violation). */
  protocolViolation: string | null;
  /** The watchdog killed the socket. */
  stale: boolean;
}

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: Buffer, isBinary: boolean): void;
  /** The watchdog is about to terminate the socket. */
  onStale(silentMs: number): void;
  onClose(info: CloseInfo): void;
}

/**
 * Frames handed on before the socket pauses until the next turn of the event loop. ws emits every
 * frame of a read synchronously, and the poll phase may run several reads before Node-RED's
 * setImmediate deliveries get a turn: without a bound, thousands of messages wait in memory at once,
 * survive young-generation collections and get promoted (a large share of the CPU at 100k msg/s).
 * Pausing the socket stops further reads, but one read (up to 64 KB: some 400 small frames) is parsed
 * to the end: the frames beyond the bound wait as raw bytes in a backlog for the next turns.
 */
const FRAMES_PER_TURN = 64;
/**
 * The same bound in bytes, for large frames: 64 frames of 32 KB parse into some 13 MB of objects that
 * would all wait at once (with it, 8 such frames per turn).
 */
const BYTES_PER_TURN = 256 * 1024;

/** How long a polite close may take before the socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;

export function wsOptions(o: ResolvedOptions): WsClientOptions {
  const t = o.tls;
  const out: WsClientOptions = {
    perMessageDeflate: false,
    maxPayload: o.maxPayload,
    handshakeTimeout: o.handshakeMs,
    rejectUnauthorized: t.rejectUnauthorized,
    followRedirects: false,
  };
  if (t.ca !== undefined) out.ca = t.ca;
  if (t.cert !== undefined) out.cert = t.cert;
  if (t.key !== undefined) out.key = t.key;
  if (t.pfx !== undefined) out.pfx = t.pfx;
  if (t.passphrase !== undefined) out.passphrase = t.passphrase;
  if (t.ALPNProtocols !== undefined) (out as Record<string, unknown>).ALPNProtocols = t.ALPNProtocols;
  // Not in @types/ws, but ws hands its options to tls.connect(), which honours it.
  if (t.servername !== undefined) (out as Record<string, unknown>).servername = t.servername;
  return out;
}

export class StreamSocket {
  private readonly ws: WebSocket;
  private timer: TimerHandle | null = null;
  private closeTimer: TimerHandle | null = null;
  /**
   * The handshake's total deadline. ws's handshakeTimeout is an idle timeout on the socket: a server that
   * drips one header byte within every period holds the socket in CONNECTING for hours.
   */
  private handshakeTimer: TimerHandle | null = null;
  private silentIntervals = 0;
  private error: AnalyticsError | null = null;
  private violation: string | null = null;
  private stale = false;
  private done = false;
  /** Frames and bytes handed on in this turn of the event loop. */
  private burst = 0;
  private burstBytes = 0;
  /** The bound was reached: the socket is paused and frames go to the backlog until the next turn. */
  private pausedForTurn = false;
  /** Frames read past the bound, with their isBinary flags: [data, isBinary, data, isBinary, …]. */
  private backlog: Array<Buffer | boolean> = [];
  private backlogStart = 0;
  private readonly resumeAfterTurn = (): void => {
    this.burst = 0;
    this.burstBytes = 0;
    this.pausedForTurn = false;
    if (this.done) return;
    this.drainBacklog();
    if (!this.pausedForTurn) this.ws.resume();
  };
  private readonly where: string;
  /** Aborted when the socket closes: a proxy CONNECT still running is abandoned (proxy-tunnel.ts). */
  private readonly tunnelAbort = new AbortController();
  private resolveClosed!: () => void;
  /** Resolves once the socket is closed (after onClose ran). */
  readonly whenClosed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(
    url: string,
    private readonly options: ResolvedOptions,
    private readonly handlers: SocketHandlers,
  ) {
    this.where = `WebSocket ${safeUrl(url)}`;
    const wsOpts = wsOptions(options);
    const proxy = options.proxy.forUrl(url);
    if (proxy) {
      const secure = /^wss:/i.test(url);
      // ws's own tls.connect is replaced by the tunnel (which does TLS inside it); the types of
      // createConnection do not know the callback form Node's http client supports.
      (wsOpts as Record<string, unknown>).createConnection = tunnelConnection(
        proxy,
        options,
        secure,
        this.where,
        this.tunnelAbort.signal,
      );
    }
    this.ws = new WebSocket(url, wsOpts);
    this.handshakeTimer = options.clock.setTimeout(() => {
      this.handshakeTimer = null;
      if (this.ws.readyState !== WebSocket.CONNECTING) return;
      this.error ??= handshakeTimeout(this.where, options.handshakeMs);
      this.ws.terminate();
    }, options.handshakeMs);
    this.ws.on('open', () => this.opened());
    this.ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.silentIntervals = 0;
      if (this.pausedForTurn) this.backlog.push(data, isBinary);
      else this.deliver(data, isBinary);
    });
    // Control frames count as signs of life too.
    this.ws.on('ping', () => {
      this.silentIntervals = 0;
    });
    this.ws.on('unexpected-response', (_req, res) => {
      this.error = new StreamError(
        `${this.where}: handshake refused with HTTP ${res.statusCode ?? '?'}`,
        res.statusCode,
      );
      res.resume();
      this.ws.terminate();
    });
    this.ws.on('error', (err: Error & { code?: string }) => {
      if (typeof err.code === 'string' && err.code.startsWith('WS_ERR_'))
        this.violation ??= `${err.code}: ${err.message}`;
      else this.error ??= toNetworkError(err, this.where);
    });
    this.ws.on('close', (code: number, reason: Buffer) => this.closed(code, reason.toString('utf8')));
  }

  private deliver(data: Buffer, isBinary: boolean): void {
    this.handlers.onMessage(data, isBinary);
    if (++this.burst >= FRAMES_PER_TURN || (this.burstBytes += data.length) >= BYTES_PER_TURN) {
      this.pausedForTurn = true;
      this.ws.pause();
      setImmediate(this.resumeAfterTurn);
    }
  }

  /** Hands on backlog frames until the bound of this turn is reached (or everything, at close). */
  private drainBacklog(all = false): void {
    const backlog = this.backlog;
    while (this.backlogStart < backlog.length && (all || !this.pausedForTurn)) {
      const data = backlog[this.backlogStart] as Buffer;
      const isBinary = backlog[this.backlogStart + 1] as boolean;
      this.backlogStart += 2;
      if (all) this.handlers.onMessage(data, isBinary);
      else this.deliver(data, isBinary);
    }
    if (this.backlogStart === backlog.length) {
      this.backlog = [];
      this.backlogStart = 0;
    }
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a text frame; false when the socket is not open. */
  send(text: string): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  /** Polite close (code 1000), destroyed after a short grace period if the server does not answer. */
  close(reason = 'client closing'): void {
    if (this.done || this.closeTimer) return;
    this.stopHeartbeat();
    if (this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.terminate();
      return;
    }
    this.ws.close(1000, reason);
    this.closeTimer = this.options.clock.setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
  }

  /** Immediate teardown without a closing handshake. */
  terminate(): void {
    this.stopHeartbeat();
    this.ws.terminate();
  }

  private opened(): void {
    this.stopHandshakeTimer();
    this.silentIntervals = 0;
    this.timer = this.options.clock.setInterval(() => this.tick(), this.options.heartbeatIntervalMs);
    this.handlers.onOpen();
  }

  /** One heartbeat interval passed: send ours, and count it as silent unless a frame arrived. */
  private tick(): void {
    if (++this.silentIntervals > this.options.missedHeartbeats) {
      this.stale = true;
      const silentMs = (this.silentIntervals - 1) * this.options.heartbeatIntervalMs;
      this.error ??= new StreamError(`no frame from the server for ${silentMs} ms (socket half-open?)`);
      this.handlers.onStale(silentMs);
      this.terminate();
      return;
    }
    this.send(HEARTBEAT_TEXT);
  }

  private stopHeartbeat(): void {
    if (this.timer) this.options.clock.clearInterval(this.timer);
    this.timer = null;
  }

  private stopHandshakeTimer(): void {
    if (this.handshakeTimer) this.options.clock.clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
  }

  private closed(code: number, reason: string): void {
    this.tunnelAbort.abort();
    this.stopHeartbeat();
    this.stopHandshakeTimer();
    if (this.closeTimer) this.options.clock.clearTimeout(this.closeTimer);
    this.closeTimer = null;
    if (this.done) return;
    this.done = true;
    try {
      try {
        this.drainBacklog(true); // frames that arrived before the close come before it
      } finally {
        this.handlers.onClose({
          code,
          reason: reason.slice(0, 200),
          error: this.error,
          protocolViolation: this.violation,
          stale: this.stale,
        });
      }
    } finally {
      this.resolveClosed();
    }
  }
}
