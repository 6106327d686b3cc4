// Public option and result types of the simulator, and their validation with defaults.
import type { Entity, SimUser, TrafficModel, VisibilityLoss } from './model/contract';

export interface SimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** REST + WebSocket (same port, like the ingress gateway); 0 = ephemeral (default 0). */
  port?: number;
  /** Control API, always bound to 127.0.0.1; 0 = ephemeral (default 0). */
  controlPort?: number;
  /** Default true: HTTPS/WSS with a generated self-signed CA + server cert (SAN localhost, 127.0.0.1, ::1). */
  tls?: boolean;
  /** Where to write ca.pem (and the server cert/key); default a fresh temp dir (removed on close). */
  certDir?: string;
  /** Default '/orca-streams-rest'. */
  contextPath?: string;
  seed?: number;
  agents?: number;
  groups?: number;
  users?: SimUser[];
  /** ContactDetail segments the model keeps (default 2,000; older ones leave the stream). */
  contactDetailWindow?: number;
  /**
   * Send a DELETE when a ContactDetail segment leaves that window (default true), so a client's view keeps
   * equal to the ground truth. The guide never deletes contact details; a real server keeps the whole day.
   */
  announceEvictions?: boolean;
  /** Model events per second (default 5; 0 = paused; 'max' = flat-out while sockets drain). */
  rate?: number | 'max';
  /** Server JSON + '--heartbeat--' heartbeats, default 8000. */
  heartbeatIntervalMs?: number;
  /** Close a socket whose client sent no '--heartbeat--' for this long, default 3 * 8000. */
  clientHeartbeatTimeoutMs?: number;
  /** Default 86400. 0 issues tokens that are already expired (a test knob). */
  tokenLifetimeSec?: number;
  /** Default 5 (the licence). */
  maxSubscriptionsPerUser?: number;
  /** dimension/realtimeData as objects, JSON strings, or a per-message mix (default 'mixed'). */
  encoding?: 'object' | 'string' | 'mixed';
  /** 'long' has pumpupIdentifier/extra/sourceId/producerId/eventAction (default 'long'). */
  envelope?: 'long' | 'short' | 'mixed';
  log?: (line: string) => void;
}

/** Endpoints on which the control API can inject HTTP 500/503 answers. */
export const FAULT_ENDPOINTS = [
  'login',
  'sources',
  'producers',
  'subscribe',
  'unsubscribe',
  'dictionary',
  'dimdata',
  'websocket',
] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];

export interface UserStats {
  /** Producers the user holds a REST subscription for. */
  subscriptions: string[];
  /** Subscriptions currently streaming on a socket. */
  streams: number;
  /** Open WebSocket connections of this user (sockets with at least one accepted redirect). */
  sockets: number;
  logins: number;
}

export interface SimulatorStats {
  users: Record<string, UserStats>;
  activeSubscriptions: number;
  /**
   * Redirects carrying the guid of a subscription that a later POST replaced (the client subscribed twice). Stays 0 for
   * a well-behaved client.
   */
  duplicateSubscriptions: number;
  /**
   * Times a user had a second socket streaming while another of theirs still streamed (incl. a guid moved between
   * sockets). Stays 0 for a well-behaved client.
   */
  duplicateSockets: number;
  openSockets: number;
  /** Every text frame sent: data, pumpup rows and markers, both kinds of heartbeat, error frames. */
  framesSent: number;
  heartbeatsSent: number;
  /** '--heartbeat--' frames received from clients. */
  heartbeatsReceived: number;
  deltasGenerated: number;
  deletesSent: number;
  logins: number;
  failedLogins: number;
  faultsInjected: number;
  faults: {
    drops: number;
    stalls: number;
    refusedConnections: number;
    httpErrors: number;
    revocations: number;
    restarts: number;
  };
  rate: number | 'max';
}

export interface AgentRemoval extends VisibilityLoss {
  /** DELETE frames sent (one per entity, per subscribed stream of a user that lost sight of the agent). */
  deletesSent: number;
}

/** The control operations, in-process; the HTTP control API offers the same. */
export interface SimulatorControl {
  /** Terminates every socket (or one user's) without a close handshake; returns how many. */
  dropSockets(username?: string): number;
  /** Half-opens every socket (or one user's): nothing more is sent, input is ignored, nothing closes. */
  stallSockets(username?: string): number;
  /** Destroys new TCP connections at once for `ms` milliseconds (0 ends it). */
  refuseConnections(ms: number): void;
  /** Answers `status` on `endpoint` for its next `count` requests. */
  failEndpoint(endpoint: FaultEndpoint, status: 500 | 503, count: number): void;
  /**
   * Revokes every token issued so far; sockets authorized by them get an error frame and close. Returns tokens revoked.
   */
  revokeTokens(): number;
  /** New signing key and kid; closes every socket and forgets subscriptions and tokens. */
  restart(): Promise<void>;
  setRate(rate: number | 'max'): void;
  /** Runs `count` model events now and sends the resulting deltas; returns the number of deltas. */
  trigger(count: number): number;
  removeAgentFromGroup(agentId: string, groupId: string): AgentRemoval | undefined;
  addAgentToGroup(agentId: string, groupId: string): boolean;
  /** Ground truth: current full records per producer, for one producer or every producer the user subscribed to. */
  truth(username: string, producerId?: string): Record<string, Entity[]>;
  stats(): SimulatorStats;
}

export interface RunningSimulator {
  /** e.g. https://127.0.0.1:43211/orca-streams-rest */
  restUrl: string;
  /** e.g. http://127.0.0.1:43212 */
  controlUrl: string;
  caPem: string | undefined;
  caPath: string | undefined;
  /** Current JWT signing public key (SPKI PEM); changes on restart(). */
  readonly publicKeyPem: string;
  users: readonly SimUser[];
  model: TrafficModel;
  control: SimulatorControl;
  close(): Promise<void>;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  controlPort: number;
  tls: boolean;
  certDir: string | undefined;
  contextPath: string;
  seed: number;
  agents: number;
  groups: number | undefined;
  users: SimUser[] | undefined;
  contactDetailWindow: number;
  announceEvictions: boolean;
  rate: number | 'max';
  heartbeatIntervalMs: number;
  clientHeartbeatTimeoutMs: number;
  tokenLifetimeSec: number;
  maxSubscriptionsPerUser: number;
  encoding: 'object' | 'string' | 'mixed';
  envelope: 'long' | 'short' | 'mixed';
  log: (line: string) => void;
}

function integer(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`simulator option ${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T))
    throw new RangeError(`simulator option ${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function validateRate(rate: unknown): number | 'max' {
  if (rate === 'max') return rate;
  if (typeof rate === 'number' && Number.isFinite(rate) && rate >= 0 && rate <= 10_000_000) return rate;
  throw new RangeError("rate must be a number of events per second from 0 to 10000000, or 'max'");
}

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const heartbeatIntervalMs = integer('heartbeatIntervalMs', options.heartbeatIntervalMs, 8000, 10);
  let contextPath = options.contextPath ?? '/orca-streams-rest';
  if (typeof contextPath !== 'string' || !/^(\/[A-Za-z0-9._~-]+)*\/?$/.test(contextPath)) {
    throw new RangeError('simulator option contextPath must be a path such as /orca-streams-rest');
  }
  contextPath = contextPath.replace(/\/+$/, '');
  return {
    host: options.host ?? '127.0.0.1',
    port: integer('port', options.port, 0, 0, 65535),
    controlPort: integer('controlPort', options.controlPort, 0, 0, 65535),
    tls: options.tls ?? true,
    certDir: options.certDir,
    contextPath,
    seed: integer('seed', options.seed, 1, 0),
    agents: integer('agents', options.agents, 50, 1),
    groups: options.groups === undefined ? undefined : integer('groups', options.groups, 0, 1),
    users: options.users,
    contactDetailWindow: integer('contactDetailWindow', options.contactDetailWindow, 2000, 1),
    announceEvictions: options.announceEvictions ?? true,
    rate: validateRate(options.rate ?? 5),
    heartbeatIntervalMs,
    clientHeartbeatTimeoutMs: integer(
      'clientHeartbeatTimeoutMs',
      options.clientHeartbeatTimeoutMs,
      3 * heartbeatIntervalMs,
      10,
    ),
    tokenLifetimeSec: integer('tokenLifetimeSec', options.tokenLifetimeSec, 86400, 0),
    maxSubscriptionsPerUser: integer('maxSubscriptionsPerUser', options.maxSubscriptionsPerUser, 5, 1),
    encoding: oneOf('encoding', options.encoding, ['object', 'string', 'mixed'], 'mixed'),
    envelope: oneOf('envelope', options.envelope, ['long', 'short', 'mixed'], 'long'),
    log: options.log ?? (() => {}),
  };
}
