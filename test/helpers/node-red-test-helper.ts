// Shared setup of the node tests: the Node-RED test helper on the real runtime, the simulator over
// HTTPS with its CA handed to a core tls-config node, flow builders and small waiting helpers.
import assert from 'node:assert/strict';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/index';
import type { ConnectionHub } from '../../nodes/avaya-analytics-server/connection-hub';
import registerAlert from '../../nodes/avaya-analytics-alert/avaya-analytics-alert';
import registerDictionary from '../../nodes/avaya-analytics-dictionary/avaya-analytics-dictionary';
import registerDimdata from '../../nodes/avaya-analytics-dimdata/avaya-analytics-dimdata';
import registerServer from '../../nodes/avaya-analytics-server/avaya-analytics-server';
import registerSubscribe from '../../nodes/avaya-analytics-subscribe/avaya-analytics-subscribe';
import { serverFlowNode, tlsFlowNode } from '../../scripts/config-nodes';
import { NODE_RED_MAIN, requireFromNodeRed } from './node-red-selection';

/** A msg as a flow carries it: tests read any property path of what a node sent. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- msgs are free-form JSON; tests assert their shape
export type NodeMessage = Record<string, any>;
/** One recorded call of a sinon spy (the helper spies on Node.prototype and on the log). */
export interface SpyCall<A extends unknown[] = unknown[]> {
  args: A;
  thisValue: { id?: string } | undefined;
}

/** A spy on a Node.prototype method. */
export interface NodeSpy<A extends unknown[] = unknown[]> {
  getCalls(): Array<SpyCall<A>>;
  resetHistory?(): void;
}

/** A log entry as Node-RED's log hands it to the helper's spy. */
export interface LogEntry {
  level: number;
  id?: string;
  type?: string;
  msg?: unknown;
}

/** The helper's spy on RED.log: its calls and the level numbers. */
export interface LogSpy {
  args: Array<[LogEntry]>;
  getCalls(): Array<SpyCall<[LogEntry]>>;
  resetHistory?(): void;
  readonly WARN: number;
  readonly INFO: number;
  readonly ERROR: number;
  readonly DEBUG: number;
  readonly TRACE: number;
}

/** A node, flow or global context of the runtime. */
export interface ContextStore {
  get(key: string, store?: string): unknown;
  set(key: string, value: unknown, store?: string): void;
}

/** A runtime node as the helper returns it: Node-RED's Node with the members the tests use. */
export interface TestNode {
  id: string;
  type: string;
  wires: string[][];
  credentials: Record<string, string | undefined>;
  receive(msg?: NodeMessage): void;
  on(event: 'input', listener: (msg: NodeMessage) => void): void;
  on(event: `call:${string}`, listener: (call: SpyCall) => void): void;
  context(): ContextStore & { flow: ContextStore; global: ContextStore };
}

/** What supertest's request builder offers the admin-endpoint tests (the helper's request()). */
export interface AdminRequest extends PromiseLike<AdminResponse> {
  set(name: string, value: string): AdminRequest;
  send(body: unknown): AdminRequest;
  query(params: Record<string, string>): AdminRequest;
  expect(status: number): AdminRequest;
}
export interface AdminResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of the endpoint under test
  body: any;
  text: string;
}

/** node-red-node-test-helper, typed for what these tests use (the package ships no types). */
export interface TestHelper {
  init(nodeRedMain: string): void;
  load(nodes: unknown, flow: unknown[], credentials?: Record<string, object>): Promise<void>;
  setFlows(flow: unknown[], type: 'full' | 'nodes' | 'flows', credentials?: Record<string, object>): Promise<void>;
  clearFlows(): Promise<void>;
  unload(): Promise<void>;
  /** The node with this id, as a TestNode or, for a node's own members, as `T` (the test knows the type). */
  getNode<T = TestNode>(id: string): T;
  request(): { get(path: string): AdminRequest; post(path: string): AdminRequest };
  log(): LogSpy;
  settings(settings: Record<string, unknown>): void;
  readonly _RED: { version(): string; util: { cloneMessage<T>(msg: T): T } };
  readonly _events: NodeJS.EventEmitter;
  readonly _redNodes: { loadContextsPlugin(): Promise<void> };
  readonly _logSpy?: LogSpy;
  /** The helper's sinon spies on Node.prototype methods (status, send, log, …). */
  readonly _NodePrototype: Record<string, NodeSpy | undefined> & {
    status: NodeSpy<[{ text?: string } | string | undefined]>;
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS package without types
export const helper = require('node-red-node-test-helper') as TestHelper;
helper.init(NODE_RED_MAIN);

export const tlsConfigNode: unknown = requireFromNodeRed('@node-red/nodes/core/network/05-tls.js');
export const serverNode: unknown = registerServer;
export const subscribeNode: unknown = registerSubscribe;
export const dimdataNode: unknown = registerDimdata;
export const dictionaryNode: unknown = registerDictionary;
export const alertNode: unknown = registerAlert;
export const ALL_NODES = [tlsConfigNode, serverNode, subscribeNode, dimdataNode, dictionaryNode, alertNode];

export const USER = 'supervisor1';
export const PASSWORD = 'password1';

export type FlowNode = Record<string, unknown> & { id: string; type: string };

/** Puts flow nodes on a tab: Catch nodes only catch errors of nodes on their own tab. */
export function onTab(nodes: FlowNode[]): FlowNode[] {
  return [{ id: 'tab', type: 'tab', label: 'test' }, ...nodes.map((n) => ({ ...n, z: 'tab' }))];
}

export function simulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  // Paused traffic by default: tests trigger deltas themselves, so counts are exact.
  return startSimulator({ host: '127.0.0.1', agents: 12, seed: 7, rate: 0, ...options });
}

/**
 * For a describe() block of node tests against one simulator: starts it before the block's tests,
 * unloads the flow after each test and closes the simulator after the block. Returns the running
 * simulator's getter (there is none until the before hook ran).
 */
export function simulatorForSuite(options: SimulatorOptions = {}): () => RunningSimulator {
  let sim: RunningSimulator | undefined;
  before(async () => {
    sim = await simulator(options);
  });
  after(async () => {
    await sim?.close();
  });
  afterEach(unload);
  return () => {
    assert.ok(sim, 'the simulator is not running (used outside a test?)');
    return sim;
  };
}

/** The tls-config and server config nodes of a flow, plus their credentials. */
export function serverConfig(
  sim: RunningSimulator,
  overrides: Partial<FlowNode> = {},
  credentials: { username?: string; password?: string } = {},
): { nodes: FlowNode[]; credentials: Record<string, Record<string, string>> } {
  return {
    nodes: [tlsFlowNode('tls'), serverFlowNode('server', { url: sim.restUrl, tls: 'tls', ...overrides })],
    credentials: {
      tls: { cadata: sim.caPem ?? '' },
      server: { username: credentials.username ?? USER, password: credentials.password ?? PASSWORD },
    },
  };
}

/** The connection hub of the running server config node `id` (the nodes' shared client). */
export function serverHub(id = 'server'): ConnectionHub {
  return helper.getNode<{ hub: ConnectionHub }>(id).hub;
}

/** Records every msg a helper node receives. */
export function collect(nodeId: string): NodeMessage[] {
  const seen: NodeMessage[] = [];
  const node = helper.getNode(nodeId);
  assert.ok(node, `no node ${nodeId}`);
  node.on('input', (msg: NodeMessage) => seen.push(msg));
  return seen;
}

/** Records the status texts a node shows from now on (the helper proxies Node.prototype.status). */
export function statuses(nodeId: string): string[] {
  const seen: string[] = [];
  const node = helper.getNode(nodeId);
  assert.ok(node, `no node ${nodeId}`);
  node.on('call:status', (call) => seen.push(String((call.args[0] as { text?: string } | undefined)?.text ?? '')));
  return seen;
}

/**
 * Every status text the node with this id has shown, from its construction on (statuses() misses
 * those: the helper emits 'call:status' a tick late, after load() resolved). Read from the helper's
 * spy on Node.prototype.status each time it is called.
 */
export function statusHistory(nodeId: string): () => string[] {
  const spy = helper._NodePrototype.status;
  return () =>
    spy
      .getCalls()
      .filter((call) => call.thisValue?.id === nodeId)
      .map((call) => {
        const s = call.args[0];
        return typeof s === 'string' ? s : String(s?.text ?? '');
      });
}

/** A log entry's msg as text: a string as is, an Error as String() gives it, anything else as JSON. */
export function logText(msg: unknown): string {
  if (typeof msg === 'string') return msg;
  if (msg instanceof Error) return String(msg);
  return msg === undefined || msg === null ? '' : (JSON.stringify(msg) ?? '');
}

/** Unloads the flows (closing every node) and lets the helper server stop. */
export async function unload(): Promise<void> {
  await helper.unload();
}
