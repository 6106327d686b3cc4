// Where a subscribe node sends its lifecycle events (configuration `lifecycle`, version 2):
//   inband    on output 1, in order with the data (and again on output 2 when it is on): the default
//   separate  only on output 2, as release 0.1.0 did
//   legacy    what a node saved by release 0.1.0 gets: in-band when output 1 feeds a state node (whose
//             view is then right after every reconnect) or nothing, separate when it feeds only other
//             nodes (Function, file, MQTT…), which never got such msgs and keep not getting them.
// The runtime and the editor both give a version-1 node `legacy` (upgrade step; nodes:add in the editor).
import type { NodeDef } from '../shared/node-red';

export type LifecycleOutput = 'inband' | 'separate' | 'legacy';

export const STATE_TYPE = 'avaya-analytics-state';

/** Whether output 1 carries the lifecycle events; `typeOf` gives the type of a node of the flows by id. */
export function lifecycleInBand(setting: unknown, wires: unknown, typeOf: (id: string) => string | undefined): boolean {
  if (setting === 'separate') return false;
  if (setting !== 'legacy') return true;
  const targets =
    Array.isArray(wires) && Array.isArray(wires[0])
      ? (wires[0] as unknown[]).filter((id): id is string => typeof id === 'string')
      : [];
  return targets.length === 0 || targets.some((id) => typeOf(id) === STATE_TYPE);
}

/**
 * Whether the first wire of output 1 goes to a state node. Node-RED hands the original msg to the first wire
 * and a copy to every other: only then does the payload reach a state node as the decoder built it
 * (lib/frames/built-names.ts). Asked per msg, of the node's wires at run time: a deploy that only rewires a node
 * replaces them without restarting it. Allocates nothing.
 */
export function firstWireToState(wires: unknown, typeOf: (id: string) => string | undefined): boolean {
  const first: unknown = Array.isArray(wires) && Array.isArray(wires[0]) ? (wires[0] as unknown[])[0] : undefined;
  return typeof first === 'string' && typeOf(first) === STATE_TYPE;
}

/**
 * The type of every node of the active flows, by id (RED.nodes.eachNode walks their configuration), read at the
 * first call. A node a later deploy adds is unknown (undefined) to it.
 */
export function nodeTypes(eachNode: (cb: (n: NodeDef) => void) => void): (id: string) => string | undefined {
  let types: Map<string, string> | null = null;
  return (id) => {
    if (types === null) {
      const found = new Map<string, string>();
      eachNode((n) => found.set(n.id, n.type));
      types = found;
    }
    return types.get(id);
  };
}
