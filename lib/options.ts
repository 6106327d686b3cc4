// ClientOptions with every default filled in, validated once so the rest of lib/ can trust them.
import type { ClientOptions, Logger, TlsOptions, TokenVerification } from './api';
import type { Clock } from './clock';
import { realClock } from './clock';
import { ProxyResolver } from './proxy';

export interface ResolvedOptions {
  /** Base URL without a trailing slash. */
  url: string;
  tenant: string;
  username: string;
  password: string;
  tls: TlsOptions & { rejectUnauthorized: boolean };
  /** Which proxy (if any) a URL goes through. */
  proxy: ProxyResolver;
  tokenVerification: TokenVerification;
  connectMs: number;
  headersMs: number;
  bodyMs: number;
  handshakeMs: number;
  requestMs: number;
  /** Lower-case host names the WebSocket endpoint may be on besides the REST host. */
  streamHosts: string[];
  requestSpacingMs: number;
  heartbeatIntervalMs: number;
  missedHeartbeats: number;
  maxPayload: number;
  maxResponseBytes: number;
  backoff: { floorMs: number; capMs: number; stableMs: number };
  faultBackoff: { floorMs: number; capMs: number };
  tokenRefreshLeadMs: number;
  normalize: boolean;
  closeTimeoutMs: number;
  logger: Logger;
  clock: Clock;
}

/** Options beyond api.ts's ClientOptions (all optional). */
export interface ExtraClientOptions {
  /** Largest accepted REST response body in bytes. Default 32 MiB (dimension data of 10,000 agents fits). */
  maxResponseBytes?: number;
  /** Upper bound for close()'s best-effort unsubscribes. Default 5 s. */
  closeTimeoutMs?: number;
  /** Every timer and Date.now of the client (tests pass a fake one). Default the real clock. */
  clock?: Clock;
}

export const DEFAULTS = {
  tenant: '0',
  connectMs: 10_000,
  headersMs: 15_000,
  bodyMs: 30_000,
  handshakeMs: 10_000,
  requestMs: 60_000,
  requestSpacingMs: 100,
  heartbeatIntervalMs: 8_000,
  missedHeartbeats: 3,
  maxPayload: 1024 * 1024,
  maxResponseBytes: 32 * 1024 * 1024,
  backoffFloorMs: 1_000,
  backoffCapMs: 60_000,
  backoffStableMs: 60_000,
  faultBackoffFloorMs: 5_000,
  faultBackoffCapMs: 300_000,
  tokenRefreshLeadMs: 60_000,
  closeTimeoutMs: 5_000,
} as const;

const SILENT: Logger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

export function resolveOptions(options: ClientOptions & ExtraClientOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') throw new TypeError('options are required');
  const url = requireString(options.url, 'url').replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('url is not a valid URL (expected e.g. https://host/orca-streams-rest)');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new TypeError('url must be https:// (or http:// for labs)');
  // The login sends the password in its query, and every request and the stream carry the token.
  if (parsed.protocol === 'http:' && options.allowCleartext !== true)
    throw new TypeError(
      'url is http://: the password and the token would travel in clear text; use https:// ' +
        '(allowCleartext: true permits http:// for a lab)',
    );
  if (parsed.search || parsed.hash) throw new TypeError('url must not contain a query string or fragment');
  const t = options.timeouts ?? {};
  const b = options.backoff ?? {};
  const floorMs = durationMs(b.floorMs, DEFAULTS.backoffFloorMs, 'backoff.floorMs');
  const capMs = Math.max(floorMs, durationMs(b.capMs, DEFAULTS.backoffCapMs, 'backoff.capMs'));
  const f = options.faultBackoff ?? {};
  const faultFloorMs = durationMs(f.floorMs, DEFAULTS.faultBackoffFloorMs, 'faultBackoff.floorMs');
  const faultCapMs = Math.max(faultFloorMs, durationMs(f.capMs, DEFAULTS.faultBackoffCapMs, 'faultBackoff.capMs'));
  return {
    url,
    tenant: options.tenant === undefined || options.tenant === '' ? DEFAULTS.tenant : String(options.tenant),
    username: requireString(options.username, 'username'),
    password: optionalString(options.password, 'password'),
    tls: { ...options.tls, rejectUnauthorized: options.tls?.rejectUnauthorized !== false },
    proxy: new ProxyResolver(proxySetting(options.proxy)),
    tokenVerification: options.tokenVerification ?? { kind: 'none' },
    connectMs: durationMs(t.connectMs, DEFAULTS.connectMs, 'timeouts.connectMs'),
    headersMs: durationMs(t.headersMs, DEFAULTS.headersMs, 'timeouts.headersMs'),
    bodyMs: durationMs(t.bodyMs, DEFAULTS.bodyMs, 'timeouts.bodyMs'),
    handshakeMs: durationMs(t.handshakeMs, DEFAULTS.handshakeMs, 'timeouts.handshakeMs'),
    requestMs: durationMs(t.requestMs, DEFAULTS.requestMs, 'timeouts.requestMs'),
    streamHosts: hostList(options.streamHosts),
    requestSpacingMs: durationMs(options.requestSpacingMs, DEFAULTS.requestSpacingMs, 'requestSpacingMs', true),
    heartbeatIntervalMs: durationMs(options.heartbeatIntervalMs, DEFAULTS.heartbeatIntervalMs, 'heartbeatIntervalMs'),
    missedHeartbeats: positive(options.missedHeartbeats, DEFAULTS.missedHeartbeats, 'missedHeartbeats'),
    maxPayload: positive(options.maxPayload, DEFAULTS.maxPayload, 'maxPayload'),
    maxResponseBytes: positive(options.maxResponseBytes, DEFAULTS.maxResponseBytes, 'maxResponseBytes'),
    backoff: { floorMs, capMs, stableMs: durationMs(b.stableMs, DEFAULTS.backoffStableMs, 'backoff.stableMs', true) },
    faultBackoff: { floorMs: faultFloorMs, capMs: faultCapMs },
    tokenRefreshLeadMs: durationMs(options.tokenRefreshLeadMs, DEFAULTS.tokenRefreshLeadMs, 'tokenRefreshLeadMs', true),
    normalize: options.normalize !== false,
    closeTimeoutMs: durationMs(options.closeTimeoutMs, DEFAULTS.closeTimeoutMs, 'closeTimeoutMs'),
    logger: completeLogger(options.logger),
    clock: options.clock ?? realClock,
  };
}

function proxySetting(v: ClientOptions['proxy']): ClientOptions['proxy'] {
  if (v === undefined || v === null || v === 'none' || v === 'env') return v ?? 'none';
  if (typeof v !== 'object' || typeof v.url !== 'string' || !v.url.trim())
    throw new TypeError("proxy must be 'env', 'none' or { url, noProxy?, username?, password? }");
  if (v.noProxy !== undefined && (!Array.isArray(v.noProxy) || v.noProxy.some((h) => typeof h !== 'string')))
    throw new TypeError('proxy.noProxy must be a list of host names');
  return v;
}

function hostList(v: string[] | undefined): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((h) => typeof h !== 'string'))
    throw new TypeError('streamHosts must be a list of host names');
  return v
    .map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, ''),
    )
    .filter(Boolean);
}

function requireString(v: unknown, name: string): string {
  if (typeof v !== 'string' || !v.trim()) throw new TypeError(`${name} is required`);
  return v.trim();
}

function positive(v: number | undefined, fallback: number, name: string): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new TypeError(`${name} must be a positive number`);
  return v;
}

/** Node's timers take at most 2^31 − 1 ms; a longer delay fires after 1 ms (a storm, not a long wait). */
const MAX_TIMER_MS = 2_147_483_647;

function durationMs(v: number | undefined, fallback: number, name: string, zeroAllowed = false): number {
  const ms = zeroAllowed ? nonNegative(v, fallback, name) : positive(v, fallback, name);
  if (ms > MAX_TIMER_MS) throw new TypeError(`${name} must be at most ${MAX_TIMER_MS} ms (about 24.8 days)`);
  return ms;
}

/** Absent is empty (Node-RED credentials not filled in yet); anything but a string is a mistake. */
function optionalString(v: unknown, name: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string`);
  return v;
}

/** A logger missing some levels gets no-ops for them (a bare {warn, error} is a reasonable thing to pass). */
function completeLogger(logger: Logger | undefined): Logger {
  if (logger === undefined || logger === null) return SILENT;
  if (typeof logger !== 'object' && typeof logger !== 'function') throw new TypeError('logger must be an object');
  const out = { ...SILENT };
  for (const level of ['error', 'warn', 'info', 'debug', 'trace'] as const) {
    const fn = (logger as Partial<Logger>)[level];
    if (typeof fn === 'function') out[level] = (msg: string) => fn.call(logger, msg);
  }
  return out;
}

function nonNegative(v: number | undefined, fallback: number, name: string): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new TypeError(`${name} must be a number ≥ 0`);
  return v;
}
