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
  if (parsed.search || parsed.hash) throw new TypeError('url must not contain a query string or fragment');
  const t = options.timeouts ?? {};
  const b = options.backoff ?? {};
  const floorMs = positive(b.floorMs, DEFAULTS.backoffFloorMs, 'backoff.floorMs');
  const capMs = Math.max(floorMs, positive(b.capMs, DEFAULTS.backoffCapMs, 'backoff.capMs'));
  const f = options.faultBackoff ?? {};
  const faultFloorMs = positive(f.floorMs, DEFAULTS.faultBackoffFloorMs, 'faultBackoff.floorMs');
  const faultCapMs = Math.max(faultFloorMs, positive(f.capMs, DEFAULTS.faultBackoffCapMs, 'faultBackoff.capMs'));
  return {
    url,
    tenant: options.tenant === undefined || options.tenant === '' ? DEFAULTS.tenant : String(options.tenant),
    username: requireString(options.username, 'username'),
    password: typeof options.password === 'string' ? options.password : '',
    tls: { ...options.tls, rejectUnauthorized: options.tls?.rejectUnauthorized !== false },
    proxy: new ProxyResolver(proxySetting(options.proxy)),
    tokenVerification: options.tokenVerification ?? { kind: 'none' },
    connectMs: positive(t.connectMs, DEFAULTS.connectMs, 'timeouts.connectMs'),
    headersMs: positive(t.headersMs, DEFAULTS.headersMs, 'timeouts.headersMs'),
    bodyMs: positive(t.bodyMs, DEFAULTS.bodyMs, 'timeouts.bodyMs'),
    handshakeMs: positive(t.handshakeMs, DEFAULTS.handshakeMs, 'timeouts.handshakeMs'),
    requestMs: positive(t.requestMs, DEFAULTS.requestMs, 'timeouts.requestMs'),
    streamHosts: hostList(options.streamHosts),
    requestSpacingMs: nonNegative(options.requestSpacingMs, DEFAULTS.requestSpacingMs, 'requestSpacingMs'),
    heartbeatIntervalMs: positive(options.heartbeatIntervalMs, DEFAULTS.heartbeatIntervalMs, 'heartbeatIntervalMs'),
    missedHeartbeats: positive(options.missedHeartbeats, DEFAULTS.missedHeartbeats, 'missedHeartbeats'),
    maxPayload: positive(options.maxPayload, DEFAULTS.maxPayload, 'maxPayload'),
    maxResponseBytes: positive(options.maxResponseBytes, DEFAULTS.maxResponseBytes, 'maxResponseBytes'),
    backoff: { floorMs, capMs, stableMs: nonNegative(b.stableMs, DEFAULTS.backoffStableMs, 'backoff.stableMs') },
    faultBackoff: { floorMs: faultFloorMs, capMs: faultCapMs },
    tokenRefreshLeadMs: nonNegative(options.tokenRefreshLeadMs, DEFAULTS.tokenRefreshLeadMs, 'tokenRefreshLeadMs'),
    normalize: options.normalize !== false,
    closeTimeoutMs: positive(options.closeTimeoutMs, DEFAULTS.closeTimeoutMs, 'closeTimeoutMs'),
    logger: options.logger ?? SILENT,
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

function nonNegative(v: number | undefined, fallback: number, name: string): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new TypeError(`${name} must be a number ≥ 0`);
  return v;
}
