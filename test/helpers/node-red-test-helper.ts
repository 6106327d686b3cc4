// Shared setup of the node tests: the Node-RED test helper on the real runtime, the simulator over
// HTTPS with its CA handed to a core tls-config node, flow builders and small waiting helpers.
import assert from 'node:assert/strict';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/index';
import { NODE_RED_MAIN, requireFromNodeRed } from './node-red-selection';

// node-red-node-test-helper ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const helper: any = require('node-red-node-test-helper');
helper.init(NODE_RED_MAIN);

export const tlsConfigNode: unknown = requireFromNodeRed('@node-red/nodes/core/network/05-tls.js');
export const serverNode: unknown = require('../../nodes/avaya-analytics-server/avaya-analytics-server.js');
export const subscribeNode: unknown = require('../../nodes/avaya-analytics-subscribe/avaya-analytics-subscribe.js');
export const dimdataNode: unknown = require('../../nodes/avaya-analytics-dimdata/avaya-analytics-dimdata.js');
export const dictionaryNode: unknown = require('../../nodes/avaya-analytics-dictionary/avaya-analytics-dictionary.js');
export const alertNode: unknown = require('../../nodes/avaya-analytics-alert/avaya-analytics-alert.js');
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
    nodes: [
      { id: 'tls', type: 'tls-config', name: '', cert: '', key: '', ca: '', verifyservercert: true },
      {
        id: 'server',
        type: 'avaya-analytics-server',
        url: sim.restUrl,
        tenant: '0',
        tls: 'tls',
        heartbeat: 8,
        tokenVerification: 'none',
        tokenKey: '',
        jwksUrl: '',
        verbose: false,
        version: 1,
        ...overrides,
      },
    ],
    credentials: {
      tls: { cadata: sim.caPem ?? '' },
      server: { username: credentials.username ?? USER, password: credentials.password ?? PASSWORD },
    },
  };
}

/** Records every msg a helper node receives. */
export function collect(nodeId: string): NodeMessage[] {
  const seen: NodeMessage[] = [];
  const node = helper.getNode(nodeId);
  assert.ok(node, `no node ${nodeId}`);
  node.on('input', (msg: NodeMessage) => seen.push(msg));
  return seen;
}

export type NodeMessage = Record<string, any>;

/** Records the status texts a node shows from now on (the helper proxies Node.prototype.status). */
export function statuses(nodeId: string): string[] {
  const seen: string[] = [];
  const node = helper.getNode(nodeId);
  assert.ok(node, `no node ${nodeId}`);
  node.on('call:status', (call: { args: Array<{ text?: string }> }) => seen.push(String(call.args[0]?.text ?? '')));
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
      .filter((call: { thisValue: { id?: string } }) => call.thisValue?.id === nodeId)
      .map((call: { args: Array<{ text?: string } | string> }) => {
        const s = call.args[0];
        return typeof s === 'string' ? s : String(s?.text ?? '');
      });
}

/** Unloads the flows (closing every node) and lets the helper server stop. */
export async function unload(): Promise<void> {
  await helper.unload();
}
