// A state node in a test flow (tab, catch node, helper outputs) and the handles the tests use on it.
import registerState from '../../nodes/avaya-analytics-state/avaya-analytics-state';
import { CONFIG_SCHEMAS } from '../../nodes/shared/schemas';
import { subscribeFlowNode } from '../../scripts/config-nodes';
import { collect, helper, statuses, type FlowNode } from './node-red-test-helper';
import type { Msg } from './contract-messages';
import { until } from './wait';

export const stateNode: unknown = registerState;
export const T = 'avaya-analytics-state' as const;

/** The state node's configuration as the editor creates it (nodes/shared/schemas.ts). */
const DEFAULTS = { ...CONFIG_SCHEMAS[T].defaults, version: CONFIG_SCHEMAS[T].version };

/** A tab with the state node `id`, its output helper `out` (plus `extraOut`), and a Catch node feeding `caught`. */
export function stateFlow(
  props: Partial<FlowNode> = {},
  options: { id?: string; extraOut?: string[] } = {},
): FlowNode[] {
  const extraOut = options.extraOut ?? [];
  return [
    { id: 'tab', type: 'tab', label: 'state' },
    { id: options.id ?? 'state', z: 'tab', type: T, ...DEFAULTS, wires: [['out', ...extraOut]], ...props },
    { id: 'out', z: 'tab', type: 'helper' },
    ...extraOut.map((id) => ({ id, z: 'tab', type: 'helper' })),
    // Not id "catch": test nodes have no x/y, so the runtime starts them like config nodes, and one whose
    // id equals its own type looks as if it referenced itself ("Circular config node dependency").
    { id: 'catcher', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
  ];
}

/**
 * One subscribe node per producer (ids sub0, sub1, …) on server 'server', pumpup and control output on:
 * output 1 (data and lifecycle events) goes to 'state'; output 2 (the lifecycle events again) to the
 * helper 'ctl', and to 'state' as well with `bothWires` (as flows of the first release were wired).
 */
export function stateSubscribers(
  producers: readonly string[],
  props: Partial<FlowNode> = {},
  bothWires = false,
): FlowNode[] {
  return producers.map((producer, i) =>
    subscribeFlowNode(`sub${i}`, {
      z: 'tab',
      ...props,
      server: 'server',
      producer,
      wires: [['state'], bothWires ? ['state', 'ctl'] : ['ctl']],
    }),
  );
}

/** Warnings a node logged (node.warn goes to the runtime log, which the helper spies on from load on). */
export function warningsOf(nodeId: string): string[] {
  const spy = helper.log();
  return spy.args.filter(([e]) => e.level === spy.WARN && e.id === nodeId).map(([e]) => String(e.msg));
}

export interface Harness {
  out: Msg[];
  caught: Msg[];
  status: string[];
  warnings(): string[];
  send(...msgs: Msg[]): void;
  /** Sends a snapshot command and returns its reply: every msg sent before it has been handled by then. */
  snapshot(extra?: Msg): Promise<Msg>;
  /** The record changes: outputs that are neither command replies nor lifecycle events. */
  changes(): Msg[];
  /** The lifecycle events the node passed on (each with msg.synced). */
  lifecycle(): Msg[];
}

/** Handles on the running state node `id` (after helper.load or helper.setFlows). */
export function attach(id = 'state'): Harness {
  const node = helper.getNode(id);
  const out = collect('out');
  let replies = 0;
  return {
    out,
    caught: collect('caught'),
    status: statuses(id),
    warnings: () => warningsOf(id),
    send: (...msgs) => msgs.forEach((m) => node.receive(m)),
    snapshot: async (extra = {}) => {
      const marker = `snap-${++replies}`;
      node.receive({ action: 'snapshot', marker, ...extra });
      return until(`snapshot reply ${marker}`, () => out.find((m) => m.marker === marker));
    },
    changes: () => out.filter((m) => m.action === undefined && m.control === undefined),
    lifecycle: () => out.filter((m) => m.action === undefined && m.control !== undefined),
  };
}

export async function start(props: Partial<FlowNode> = {}, extraOut: string[] = []): Promise<Harness> {
  await helper.load([stateNode], stateFlow(props, { extraOut }));
  return attach();
}
