// Node objects of test flows deployed into a real Node-RED (admin API) or the test helper: the ones
// several test files build alike.
import { subscribeFlowNode, tlsFlowNode } from '../../scripts/config-nodes';

/** Node placement shared by every node of such a flow. */
const POS = { x: 100, y: 100 };

/** A debug node that writes the whole msg to Node-RED's log (console) and nowhere else. */
export function consoleDebugNode(id: string, z: string): Record<string, unknown> {
  return {
    id,
    type: 'debug',
    z,
    name: `debug ${id}`,
    active: true,
    tosidebar: false,
    console: true,
    tostatus: false,
    complete: 'true',
    targetType: 'full',
    statusVal: '',
    statusType: 'auto',
    ...POS,
    wires: [],
  };
}

/** A subscribe node with pumpup and control output, wired to the debug nodes dbgData and dbgControl. */
export function loggedSubscribeNode(id: string, z: string, server: string, producer: string): Record<string, unknown> {
  return subscribeFlowNode(id, {
    z,
    name: `subscribe ${id}`,
    server,
    producer,
    ...POS,
    wires: [['dbgData'], ['dbgControl']],
  });
}

/** A core tls-config node trusting `caPem` (the simulator's CA). */
export function tlsConfigNode(id: string, caPem: string | undefined, name = 'sim CA'): Record<string, unknown> {
  return tlsFlowNode(id, { name, credentials: { cadata: caPem } });
}

/** A core function node on tab `z` running `func` (one output, no timeout, no libraries). */
export function functionNode(
  id: string,
  z: string,
  func: string,
  wires: string[][],
  name = id,
): Record<string, unknown> {
  return {
    id,
    type: 'function',
    z,
    name,
    func,
    outputs: 1,
    timeout: 0,
    noerr: 0,
    initialize: '',
    finalize: '',
    libs: [],
    x: 300,
    y: 100,
    wires,
  };
}
