// The public shape of the Open Interface client (lib/). Node-RED nodes and other users program
// against these types; lib/ implements them. No Node-RED imports anywhere in lib/.
import type { TypedEmitter } from './typed-emitter';
import type { ClientReconfiguration } from './api-options';

export type {
  ClientOptions,
  ClientReconfiguration,
  Logger,
  ProxyOptions,
  TlsOptions,
  TokenVerification,
} from './api-options';

/** Where the connection of one supervisor stands. */
export type ConnectionState =
  | 'idle' // nothing subscribed yet
  | 'connecting' // logging in / subscribing / opening the socket
  | 'connected' // socket open, redirects sent, waiting for pumpup
  | 'ready' // every subscription's pumpup is complete
  | 'stale' // server heartbeats missed; recovery is about to start
  | 'disconnected' // lost; a reconnect is scheduled (see delayMs)
  | 'auth-failed' // the server refused the credentials; no fast retries
  | 'stopped' // disconnect() was called: no stream, no retry, until connect()
  | 'closed'; // close() was called

export interface StateEvent {
  state: ConnectionState;
  /** Human-readable cause (never contains a token or password). */
  reason?: string;
  /** Reconnect attempt number (1 = first retry) when state is 'disconnected'. */
  attempt?: number;
  /** Delay before the next attempt, when state is 'disconnected' or 'auth-failed'. */
  delayMs?: number;
  /** Why the connection is down (or a subscription refused): set on 'disconnected', 'auth-failed', 'idle'. */
  cause?: FaultCause;
  /** Epoch ms. */
  at: number;
}

/**
 * What a fault is, in a form a program (and a translated node status) can use:
 *  tls-untrusted, tls-hostname, tls-expired, tls   the server certificate was refused
 *  http            an HTTP status (value: the status, e.g. 502)
 *  login-refused   the login answered 401/403 (value: the status)
 *  wrong-path      the login answered 404: the URL's path does not lead to the REST API (value: 404)
 *  bad-token       the login answer is not a usable JWT (not a refusal: the server sent something else)
 *  timeout         value: connect, headers, body (idle between chunks), deadline (total), handshake
 *  network         connection refused, reset, DNS (value: the error code)
 *  protocol        the server said something unusable (bad JSON, missing fields)
 *  no-source       GET /sources listed no source
 *  body-too-large  a REST body over the limit
 *  server-error    an error frame on the WebSocket (value: its code, e.g. 500)
 *  frame-too-large a WebSocket frame over maxPayload (the socket was closed with 1009)
 *  bad-frames      malformed frames (value: how many so far)
 *  dropped-input   keys/values removed by the decoding rules (value: how many so far)
 *  insecure-endpoint, foreign-endpoint   the transport policy refused the WebSocket endpoint
 *  handshake       the WebSocket upgrade was refused (value: the HTTP status)
 *  no-heartbeat    the socket went silent (half-open)
 *  closed          the server closed the socket
 *  proxy           the HTTP proxy refused the tunnel or could not be reached (value: its HTTP status,
 *                  e.g. 407, or 'timeout', or the network error code)
 */
export type FaultKind =
  | 'tls-untrusted'
  | 'tls-hostname'
  | 'tls-expired'
  | 'tls'
  | 'http'
  | 'login-refused'
  | 'wrong-path'
  | 'bad-token'
  | 'timeout'
  | 'network'
  | 'protocol'
  | 'no-source'
  | 'body-too-large'
  | 'server-error'
  | 'frame-too-large'
  | 'bad-frames'
  | 'dropped-input'
  | 'insecure-endpoint'
  | 'foreign-endpoint'
  | 'handshake'
  | 'no-heartbeat'
  | 'closed'
  /** Not a fault: the flow asked for it (msg.action disconnect / reconnect). */
  | 'by-flow'
  | 'proxy';

export interface FaultCause {
  kind: FaultKind;
  /** The status, code, timeout phase or count the short text shows, when the kind has one. */
  value?: string | number;
  /** English short form for a status line, e.g. "HTTP 502", "TLS: untrusted CA", "bad frames: 25". */
  short: string;
  /** The full text (redacted: never a password or token). */
  detail: string;
}

/** One decoded data message, routed to its subscription. Objects have no prototype (hostile keys are inert). */
export interface AnalyticsMessage {
  kind: 'pumpup' | 'delta' | 'delete';
  producerId: string;
  sourceId: string;
  /** Dimension with keys canonicalized to the producer's declared names (groupid → groupId). */
  dimension: Record<string, string>;
  /** The delta's measures, normalized unless normalization is off. */
  measures: Record<string, unknown>;
  pumpup: boolean;
  eventAction: 'UPSERT' | 'DELETE';
  pumpupIdentifier: string | null;
  /** Stable key of the entity: see entityKey(). */
  key: string;
  /** Epoch ms of arrival. */
  receivedAt: number;
  /**
   * Short envelope only: the dimension keys matched several subscribed producers (AgentGroup and
   * RoutingServiceGroup share groupId) and the measure names did not decide; the row was delivered
   * to each of them. Absent otherwise.
   */
  ambiguous?: boolean;
}

export type SubscriptionState = 'pending' | 'subscribed' | 'ready' | 'failed' | 'closed';

/** The events of a Subscription, with their listeners' signatures. */
export type SubscriptionEvents = {
  /** Every pumpup row, delta and delete. */
  message: (m: AnalyticsMessage) => void;
  /** The pumpup after (re)subscribing is complete. */
  pumpupComplete: () => void;
  /** A change of state (a new reason for the same state is recorded, not emitted). */
  state: (s: SubscriptionState, reason?: string) => void;
};

/** One producer's stream: see SubscriptionEvents for its events. */
export interface Subscription extends TypedEmitter<SubscriptionEvents> {
  readonly producerId: string;
  readonly sourceId: string;
  readonly state: SubscriptionState;
  /** Why it failed (e.g. HTTP 404 on the subscription POST), while state is 'failed'; else null. */
  readonly failureCause: FaultCause | null;
  /** Ask for a fresh snapshot (re-subscribes: the guide offers no other documented way). */
  requestPumpup(): Promise<void>;
}

export interface ClientStats {
  framesReceived: number;
  messagesDelivered: number;
  heartbeatsReceived: number;
  malformedFrames: number;
  unroutableMessages: number;
  reconnects: number;
  logins: number;
  /** Short-envelope frames whose route was ambiguous (delivered to every candidate). */
  ambiguousMessages?: number;
  /** Error frames ({"code":500,…}) received on the WebSocket. */
  serverErrors?: number;
  /** Keys "__proto__", "constructor", "prototype" removed from dimension/realtimeData. */
  hostileKeysDropped?: number;
  /** Measure values that were objects or arrays, removed. */
  nestedValuesDropped?: number;
  /** Strings over 1024 characters (names over 256) removed. */
  longStringsDropped?: number;
}

/** The REST queries of a client (client.rest) and of createRestClient(). */
export interface AnalyticsRestClient {
  /** Logs in now: the token's subject and expiry (epoch ms, Infinity if none), never the token itself. */
  login(): Promise<{ subject: string; expiresAt: number }>;
  sources(): Promise<unknown[]>;
  producers(sourceId?: string): Promise<unknown[]>;
  dictionary(producerId: string, locale: string, sourceId?: string): Promise<unknown>;
  dimdata(kind: string, sourceId?: string): Promise<unknown[]>;
  /** Masks this client's password and tokens in any text. */
  redact(text: string): string;
  /** Releases the HTTP agent; pending requests fail. */
  close(): Promise<void>;
}

/** The events of an AnalyticsClient, with their listeners' signatures. It never emits 'error'. */
export type ClientEvents = {
  state: (e: StateEvent) => void;
  /** A frame that could not be decoded (it was dropped). */
  malformed: (m: { reason: string; sample: string }) => void;
  warning: (message: string) => void;
  /** Bad or dropped input (kind bad-frames / dropped-input), at most once a second. */
  input: (c: FaultCause) => void;
};

/**
 * The client of one supervisor: one token, one WebSocket for every subscription. See ClientEvents for
 * its events; it never emits 'error' (so an unhandled event cannot crash a host process).
 */
export interface AnalyticsClient extends TypedEmitter<ClientEvents> {
  readonly state: ConnectionState;
  readonly stats: ClientStats;
  /**
   * The REST queries (login, sources, producers, dictionary, dimdata), sharing the client's token.
   * reconfigure() replaces it: read it at each use rather than keeping it.
   */
  readonly rest: AnalyticsRestClient;
  /** Subscribe to a producer (source: default the first source). Connects on first use. */
  subscribe(producerId: string, options?: { sourceId?: string }): Subscription;
  /** The guide's three stages: unsubscriptionRedirect, DELETE, close the socket when none is left. */
  unsubscribe(subscription: Subscription): Promise<void>;
  /** The latest fault (kept after recovery, for diagnosis); null before any. */
  readonly lastCause: FaultCause | null;
  /** Bad or dropped input so far as a cause (bad-frames outranks dropped-input); null when none. */
  readonly inputCause: FaultCause | null;
  /**
   * Retry now instead of waiting for the backoff: a scheduled reconnect runs at once and refused
   * subscriptions are posted again. Does nothing while the connection is fine.
   */
  retryNow(): void;
  /**
   * Ends every stream on the server as the guide describes, closes the socket and stays down (state
   * 'stopped', no retries) until connect(). Subscriptions stay: connect() streams them again.
   */
  disconnect(reason?: string): Promise<void>;
  /** Ends a disconnect(); otherwise the same as retryNow(). */
  connect(): void;
  /** Drops the socket and connects again at once. */
  reconnect(): void;
  /** New URL, tenant or credentials for the running client; throws on a bad value (nothing changes then). */
  reconfigure(changes: ClientReconfiguration): void;
  /** Masks this client's secrets (password, tokens) in any text. */
  redact(text: string): string;
  /** Unsubscribe everything and close. */
  close(): Promise<void>;
}
