// What the nodes using an avaya-analytics-server config node may rely on (RED.nodes.getNode(id)).
import type { FaultCause } from '../../lib/api';
import type { Node, NodeDef } from '../shared/node-red';
import type { ConnectionHub, HubUser } from './connection-hub';

export const SERVER_TYPE = 'avaya-analytics-server';

export interface ServerConfig extends NodeDef {
  url: string;
  tenant: string;
  /** Id of a core tls-config node, or "". */
  tls: string;
  /** Seconds between heartbeats (both directions). */
  heartbeat: string | number;
  tokenVerification: 'none' | 'pem' | 'jwks';
  tokenKey: string;
  jwksUrl: string;
  verbose: boolean;
  /** Host names the stream endpoint may be on besides the REST host, comma or space separated. */
  streamHosts: string;
  /** Seconds: total deadline of one REST request. */
  requestTimeout: string | number;
  /** Seconds: the longest wait between retries after a fault that needs someone to act. */
  faultRetryMax: string | number;
  /** Off: nothing connects until msg.action "connect". */
  connectOnStart: boolean;
  version: number;
}

// A type alias, not an interface: it must fit Node's Record<string, string | undefined> credentials.
export type ServerCredentials = {
  username?: string;
  password?: string;
};

/**
 * The deployed settings that decide where the password goes and how it travels. The editor's buttons use the
 * stored password only with these same settings: typed values could send it to another host, in clear text
 * or past an unverified certificate.
 */
export interface PasswordRoute {
  readonly url: string;
  readonly tls: string;
  readonly proxy: string;
  readonly allowCleartext: boolean;
}

/**
 * The password route of a node's configuration or of the dialog's values, with ${VAR} references resolved by
 * `resolve` (the runtime replaced a whole-value ${VAR} of the deployed configuration already; the dialog posts it
 * as typed).
 */
export function routeOf(
  values: Readonly<Record<string, unknown>>,
  resolve: (text: string) => string = (text) => text,
): PasswordRoute {
  const text = (v: unknown): string => (typeof v === 'string' ? resolve(v.trim()).trim() : '');
  return {
    url: text(values.url),
    tls: text(values.tls),
    proxy: text(values.proxy),
    allowCleartext: values.allowCleartext === true,
  };
}

/**
 * Whether dialog values send a password the way the deployed node does. The proxy counts too: with a TLS node
 * that does not verify the server, a proxy could end the tunnel and read the login's query.
 */
export function sameRoute(route: PasswordRoute, typed: PasswordRoute): boolean {
  return (
    typed.url === route.url &&
    typed.tls === route.tls &&
    typed.proxy === route.proxy &&
    typed.allowCleartext === route.allowCleartext
  );
}

export interface ServerNode extends Node<ServerCredentials> {
  readonly hub: ConnectionHub;
  readonly route: PasswordRoute;
  /** Masks this server's password and tokens in any text about to leave the runtime. */
  redact(text: string): string;
  /**
   * msg.action "reconfigure": new url / tenant / username / password for the running connection, until
   * the next deploy or restart. Throws a localized Error for unusable values (nothing changes then).
   */
  reconfigure(values: unknown): void;
  /** The short status text of a cause in the runtime's language ("HTTP 502", "TLS: untrusted CA"). */
  causeText(cause: FaultCause): string;
  /** A node starts using this server (call from its constructor). */
  register(user: HubUser): void;
  /** A node stops using it (call from its close handler with the runtime's `removed` and `done`). */
  deregister(user: HubUser, removed: boolean, done: () => void): void;
}

/** The config node with this id, when it is deployed and really an avaya-analytics-server. */
export function findServer(getNode: (id: string) => Node | null, id: unknown): ServerNode | null {
  if (typeof id !== 'string' || !id) return null;
  const node = getNode(id);
  return node && node.type === SERVER_TYPE ? (node as ServerNode) : null;
}
