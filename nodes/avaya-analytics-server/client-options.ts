// Turns what a user typed (the config node's properties and credentials, or the values of an open
// edit dialog posted to an admin endpoint) into lib ClientOptions. One function serves both paths,
// so the deployed node and the "test connection" button can never disagree about a setting.
import { textOf } from '../shared/text';
import { DEFAULTS } from '../../lib/options';
import type { ClientOptions, Logger, ProxyOptions, TlsOptions, TokenVerification } from '../../lib/api';
import { substituteEnv } from '../shared/env';
import { CatalogError } from '../shared/errors';
import {
  getConfigNode,
  type HttpProxyConfigNode,
  type Node,
  type NodeRedApi,
  type TlsConfigNode,
} from '../shared/node-red';

/** The connection settings of a server config node, as stored or as typed in its dialog. */
export interface ConnectionSettings {
  url?: unknown;
  tenant?: unknown;
  username?: unknown;
  password?: unknown;
  /** Id of a core tls-config node, or empty. */
  tls?: unknown;
  /** Id of a core `http proxy` config node, or empty (then HTTPS_PROXY / NO_PROXY of the environment). */
  proxy?: unknown;
  /** Seconds; default 8 (the guide). */
  heartbeat?: unknown;
  tokenVerification?: unknown;
  /** SPKI public key PEM or X.509 certificate PEM, when tokenVerification is "pem". */
  tokenKey?: unknown;
  /** When tokenVerification is "jwks". */
  jwksUrl?: unknown;
  /** Permit an http:// URL (the password and the token in clear text): labs only. */
  allowCleartext?: unknown;
  /** Host names the WebSocket endpoint may be on besides the REST host (comma or space separated). */
  streamHosts?: unknown;
  /** Seconds; total deadline of one REST request (default 60). */
  requestTimeout?: unknown;
  /** Seconds; the longest wait between retries after a fault that needs someone to act (default 300). */
  faultRetryMax?: unknown;
}

/** A setting is missing or wrong; the message is an i18n key of the server node's catalog. */
export class SettingsError extends CatalogError {}

// The node's settings are in seconds; their defaults are the client's own (one source: lib/options.ts).
export const DEFAULT_HEARTBEAT_S = DEFAULTS.heartbeatIntervalMs / 1000;
export const DEFAULT_REQUEST_TIMEOUT_S = DEFAULTS.requestMs / 1000;
export const DEFAULT_FAULT_RETRY_MAX_S = DEFAULTS.faultBackoffCapMs / 1000;
/** The seconds each number setting accepts (the editor validates with the same, see editor-constants.ts). */
export const SETTING_RANGES_S = {
  heartbeat: { min: 1, max: 300 },
  requestTimeout: { min: 1, max: 3600 },
  faultRetryMax: { min: 5, max: 3600 },
} as const;
type Range = { readonly min: number; readonly max: number };

function text(value: unknown): string {
  return textOf(value).trim();
}

/**
 * Builds client options; throws SettingsError for anything missing or invalid.
 * `node` is the config node (for flow/global env variables) or null before deploy.
 */
export function buildClientOptions(
  RED: NodeRedApi,
  node: Node | null,
  settings: ConnectionSettings,
  logger?: Logger,
): ClientOptions {
  const env = (value: unknown): string => substituteEnv(RED, node, text(value));
  const url = env(settings.url);
  if (!url) throw new SettingsError('avaya-analytics-server.errors.missing-url');
  const allowCleartext = settings.allowCleartext === true;
  if (/^http:\/\//i.test(url) && !allowCleartext) throw new SettingsError('avaya-analytics-server.errors.cleartext');
  const username = env(settings.username);
  if (!username) throw new SettingsError('avaya-analytics-server.errors.missing-username');
  // Passwords are not trimmed: a space may be part of one. ${VAR} is substituted all the same.
  const password = typeof settings.password === 'string' ? substituteEnv(RED, node, settings.password) : '';
  if (!password) throw new SettingsError('avaya-analytics-server.errors.missing-password');

  const options: ClientOptions = {
    url,
    allowCleartext,
    tenant: env(settings.tenant) || '0',
    username,
    password,
    heartbeatIntervalMs: heartbeatMs(settings.heartbeat),
    tokenVerification: tokenVerification(env, settings),
    streamHosts: env(settings.streamHosts)
      .split(/[\s,]+/)
      .filter(Boolean),
    timeouts: {
      requestMs:
        seconds(
          settings.requestTimeout,
          DEFAULT_REQUEST_TIMEOUT_S,
          SETTING_RANGES_S.requestTimeout,
          'bad-request-timeout',
        ) * 1000,
    },
    faultBackoff: {
      capMs:
        seconds(
          settings.faultRetryMax,
          DEFAULT_FAULT_RETRY_MAX_S,
          SETTING_RANGES_S.faultRetryMax,
          'bad-fault-retry-max',
        ) * 1000,
    },
  };
  const tls = tlsOptions(RED, text(settings.tls));
  if (tls) options.tls = tls;
  options.proxy = proxyOptions(RED, text(settings.proxy));
  if (logger) options.logger = logger;
  return options;
}

function heartbeatMs(value: unknown): number {
  const raw = text(value);
  if (raw === '') return DEFAULT_HEARTBEAT_S * 1000;
  const seconds = Number(raw);
  const { min, max } = SETTING_RANGES_S.heartbeat;
  if (!Number.isFinite(seconds) || seconds < min || seconds > max) {
    throw new SettingsError('avaya-analytics-server.errors.bad-heartbeat', { value: raw });
  }
  return Math.round(seconds * 1000);
}

/** A number of seconds within `range`; empty gives the default. */
function seconds(value: unknown, fallback: number, range: Range, errorKey: string): number {
  const raw = text(value);
  if (raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < range.min || n > range.max)
    throw new SettingsError(`avaya-analytics-server.errors.${errorKey}`, { value: raw });
  return n;
}

function tokenVerification(env: (v: unknown) => string, settings: ConnectionSettings): TokenVerification {
  const kind = text(settings.tokenVerification) || 'none';
  if (kind === 'none') return { kind: 'none' };
  if (kind === 'pem') {
    const key = text(settings.tokenKey);
    if (!key.includes('-----BEGIN')) throw new SettingsError('avaya-analytics-server.errors.missing-token-key');
    return { kind: 'pem', key };
  }
  if (kind === 'jwks') {
    const url = env(settings.jwksUrl);
    if (!/^https:\/\//i.test(url)) throw new SettingsError('avaya-analytics-server.errors.missing-jwks-url');
    return { kind: 'jwks', url };
  }
  throw new SettingsError('avaya-analytics-server.errors.bad-token-verification', { value: kind });
}

/** Reads a core tls-config node through its own addTLSOptions(), as the core MQTT and HTTP nodes do. */
function tlsOptions(RED: NodeRedApi, id: string): TlsOptions | undefined {
  if (!id) return undefined;
  const tlsNode = getConfigNode<TlsConfigNode>(RED, id);
  if (!tlsNode || typeof tlsNode.addTLSOptions !== 'function') {
    throw new SettingsError('avaya-analytics-server.errors.tls-not-deployed');
  }
  if (tlsNode.valid === false) throw new SettingsError('avaya-analytics-server.errors.tls-invalid');
  const o = tlsNode.addTLSOptions({});
  const tls: TlsOptions = { rejectUnauthorized: o.rejectUnauthorized !== false };
  if (o.ca) tls.ca = o.ca;
  if (o.cert) tls.cert = o.cert;
  if (o.key) tls.key = o.key;
  // PFX / PKCS#12 (Node-RED 5's "pfx" certificate type): a client certificate and CA certificates in one.
  if (o.pfx) tls.pfx = o.pfx;
  if (o.passphrase) tls.passphrase = o.passphrase;
  if (o.servername) tls.servername = o.servername;
  if (Array.isArray(o.ALPNProtocols) && o.ALPNProtocols.length > 0) tls.ALPNProtocols = o.ALPNProtocols.map(String);
  return tls;
}

/**
 * The core `http proxy` config node (as the core http request, websocket and mqtt nodes read it): its
 * URL, no-proxy list and credentials; it wins over the environment. None chosen: the environment.
 */
function proxyOptions(RED: NodeRedApi, id: string): ProxyOptions | 'env' {
  if (!id) return 'env';
  const proxyNode = getConfigNode<HttpProxyConfigNode>(RED, id);
  if (!proxyNode) throw new SettingsError('avaya-analytics-server.errors.proxy-not-deployed');
  const url = text(proxyNode.url);
  if (!url) throw new SettingsError('avaya-analytics-server.errors.proxy-no-url');
  const proxy: ProxyOptions = { url };
  const noproxy = Array.isArray(proxyNode.noproxy) ? proxyNode.noproxy.map(text).filter(Boolean) : [];
  if (noproxy.length > 0) proxy.noProxy = noproxy;
  const credentials = proxyNode.credentials ?? {};
  if (credentials.username) proxy.username = credentials.username;
  if (credentials.password) proxy.password = credentials.password;
  return proxy;
}
