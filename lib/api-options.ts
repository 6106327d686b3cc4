// The options of the Open Interface client (AnalyticsClient): what a caller passes to createClient.
// Public types, re-exported by api.ts; lib/options.ts checks them and fills the defaults.

export interface TlsOptions {
  /** PEM CA certificate(s) to trust in addition to (or instead of) the system store. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate and key (PEM) for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /**
   * PFX / PKCS#12: a client certificate with its key, and CA certificates (which are trusted as `ca`
   * is). Node-RED 5's tls-config offers it as its own certificate type.
   */
  pfx?: string | Buffer | Array<string | Buffer>;
  /** Of the key or the PFX. */
  passphrase?: string;
  /** SNI and the name the certificate is checked against (default: the URL's host). */
  servername?: string;
  /** ALPN protocols to offer (Node-RED's tls-config: one). */
  ALPNProtocols?: string[];
  /** Verify the server certificate. Default true; false only for labs. */
  rejectUnauthorized?: boolean;
}

export type TokenVerification =
  | { kind: 'none' }
  /** An SPKI public key PEM or an X.509 certificate PEM. */
  | { kind: 'pem'; key: string }
  | { kind: 'jwks'; url: string };

/** An HTTP proxy (e.g. Node-RED's `http proxy` config node). REST and the WebSocket both use it. */
export interface ProxyOptions {
  /** http://host:port (https:// proxies too); "host:port" means http://. */
  url: string;
  /** Hosts that bypass it: "host", "host:port", ".domain" or "*.domain", "*" (NO_PROXY syntax). */
  noProxy?: string[];
  /** Basic proxy authentication; the password never appears in logs, states or errors. */
  username?: string;
  password?: string;
}

export interface Logger {
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
  trace(msg: string): void;
}

/** What reconfigure() may change at run time. */
export type ClientReconfiguration = Partial<Pick<ClientOptions, 'url' | 'tenant' | 'username' | 'password'>>;

export interface ClientOptions {
  /** REST base URL including the context path, e.g. https://10.0.0.5/orca-streams-rest */
  url: string;
  /**
   * Permit an http:// URL, over which the password and every token travel in clear text (a lab, or the
   * simulator's --plain mode). Default false: an http:// URL is refused.
   */
  allowCleartext?: boolean;
  /** Default "0" (the guide: not used, set to "0"). */
  tenant?: string;
  username: string;
  password: string;
  tls?: TlsOptions;
  /**
   * HTTP proxy for REST and the WebSocket (a CONNECT tunnel; TLS to the server stays end to end).
   * 'env': HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY from the environment (lower case first),
   * as Node-RED's core nodes. A ProxyOptions object: that proxy, the environment is ignored.
   * Default 'none' (direct).
   */
  proxy?: ProxyOptions | 'env' | 'none';
  tokenVerification?: TokenVerification;
  timeouts?: {
    /** TCP+TLS connect, REST and WebSocket. Default 10 s. */
    connectMs?: number;
    /** Until response headers. Default 15 s. */
    headersMs?: number;
    /** Between body chunks. Default 30 s. */
    bodyMs?: number;
    /** WebSocket opening handshake. Default 10 s. */
    handshakeMs?: number;
    /** Total deadline of one REST request, from sending to the last body byte. Default 60 s. */
    requestMs?: number;
  };
  /**
   * Host names (besides the REST URL's) on which the WebSocket endpoint of a subscription response
   * may be. Default none: the endpoint must be on the REST host. See SECURITY.md, transport policy.
   */
  streamHosts?: string[];
  /** Minimum gap between REST requests (the guide: 100 ms). */
  requestSpacingMs?: number;
  /** Client heartbeat interval; also the expected server heartbeat interval. Default 8000. */
  heartbeatIntervalMs?: number;
  /** Server heartbeat intervals that may pass in silence before the socket is declared dead. Default 3. */
  missedHeartbeats?: number;
  /** Largest accepted WebSocket message in bytes (the guide: 64 KB; default 1 MiB of headroom). */
  maxPayload?: number;
  backoff?: { floorMs?: number; capMs?: number; stableMs?: number };
  /**
   * Retries after faults that need someone to act (refused login, certificate, bad token, refused
   * subscription, refused endpoint): start at floorMs (default 5 s), double to capMs (default 5 min),
   * each delay drawn from [half, all] of that. retryNow() skips the wait.
   */
  faultBackoff?: { floorMs?: number; capMs?: number };
  /** Log in again this long before the token expires. Default 60 s. */
  tokenRefreshLeadMs?: number;
  /** Normalize values (timestamps, "UNKNOWN", numeric strings). Default true. */
  normalize?: boolean;
  logger?: Logger;
}
