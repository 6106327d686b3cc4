// The slice of the Node-RED runtime API these nodes use. Node-RED ships no TypeScript types of its
// own and @types/node-red is not a dependency, so the shapes are declared here, checked against
// @node-red/runtime 4.x (Node.js, registry/lib/util.js createNodeApi) and @node-red/util (util.js).
import type { EventEmitter } from 'node:events';

/** A message as it travels through a flow. */
export interface NodeMessage {
  _msgid?: string;
  topic?: string;
  payload?: unknown;
  [key: string]: unknown;
}

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

/** `send` of an input handler: one msg for output 1, or an array with one entry per output. */
/** One msg, or one entry per output: a msg, several msgs for that output, or null. */
export type SendFunction = (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void;
/** `done` of an input handler: call once; with an error, Catch nodes receive it with the msg. */
export type DoneFunction = (err?: Error) => void;

/** The properties every node configuration carries. */
export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

/** A runtime node instance (the `this` of a node constructor after createNode). */
export interface Node<TCredentials = Record<string, string | undefined>> extends EventEmitter {
  id: string;
  type: string;
  name?: string;
  z?: string;
  credentials: TCredentials;
  /** The ids each output is wired to, at run time (a deploy that only rewires the node replaces them). */
  wires?: unknown;
  send(msg: NodeMessage | Array<NodeMessage | null>): void;
  status(status: NodeStatus | string): void;
  log(msg: unknown): void;
  warn(msg: unknown): void;
  error(err: unknown, msg?: NodeMessage): void;
  debug(msg: unknown): void;
  trace(msg: unknown): void;
  on(event: 'input', listener: (msg: NodeMessage, send: SendFunction, done: DoneFunction) => void): this;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): this;
  on(event: string | symbol, listener: (...args: unknown[]) => void): this;
}

/** The core `tls-config` node (node-red/nodes/core/network/05-tls.js). */
export interface TlsConfigNode extends Node {
  valid: boolean;
  addTLSOptions<T extends object>(
    opts: T,
  ): T & {
    ca?: string | Buffer;
    cert?: string | Buffer;
    key?: string | Buffer;
    /** Node-RED 5: the PFX / PKCS#12 file of the "pfx" certificate type. */
    pfx?: Buffer;
    passphrase?: string;
    servername?: string;
    ALPNProtocols?: string[];
    rejectUnauthorized?: boolean;
  };
}

/** The core `http proxy` config node (node-red/nodes/core/network/06-httpproxy.js). */
export interface HttpProxyConfigNode extends Node<{ username?: string; password?: string }> {
  url?: string;
  noproxy?: string[];
}

/** Minimal Express shapes for admin routes (Node-RED's httpAdmin is an Express app). */
export interface HttpRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}
export interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
}
export type HttpHandler = (req: HttpRequest, res: HttpResponse, next: (err?: unknown) => void) => void;

export interface NodeRedApi {
  nodes: {
    createNode(node: object, config: NodeDef): void;
    registerType(
      type: string,
      constructor: (this: never, config: never) => void,
      options?: { credentials?: Record<string, { type: 'text' | 'password' }>; settings?: Record<string, unknown> },
    ): void;
    /** A function property: passed around detached (findServer(RED.nodes.getNode, id)). */
    getNode: (id: string) => Node | null;
    /** Every node of the active flows, as configured (also those not created yet). */
    eachNode(cb: (node: NodeDef) => void): void;
    getCredentials(id: string): Record<string, string | undefined> | undefined;
  };
  events: EventEmitter;
  httpAdmin: {
    get(path: string, ...handlers: HttpHandler[]): void;
    post(path: string, ...handlers: HttpHandler[]): void;
  };
  auth: { needsPermission(permission: string): HttpHandler };
  util: {
    /** Resolves a flow/group/global env variable or process.env (honours settings.envVarExcludes). */
    getSetting(node: Node | null, name: string): unknown;
  };
  log: {
    error(msg: unknown): void;
    warn(msg: unknown): void;
    info(msg: unknown): void;
    debug(msg: unknown): void;
    trace(msg: unknown): void;
  };
  /** i18n lookup in this node set's catalog (locales/<lang>/<type>.json); __name__ interpolation. */
  _: (key: string, substitutions?: Record<string, unknown>) => string;
}

/** A config node of a known kind (tls-config, http proxy) by id; null when it is not deployed. */
export function getConfigNode<T extends Node>(RED: NodeRedApi, id: string): T | null {
  return RED.nodes.getNode(id) as T | null;
}
