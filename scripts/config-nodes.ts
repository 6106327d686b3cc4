// The nodes every flow of the demos and the tests builds the same way against the simulator: a core
// tls-config node, the server config node, a subscribe node and a state node. One definition of their settings, so a
// demo and the tests that check it cannot drift apart; each caller names only what differs.
import { CONFIG_SCHEMAS } from '../nodes/shared/schemas';
import type { FlowNode } from './cluster-flows';

/** A node with the id and type every flow node has (what the test helper's flows require). */
export type TypedNode = FlowNode & { id: string; type: string };

/** A core tls-config node that verifies the server; `fields` gives its CA (`ca`: a path, or credentials.cadata). */
export function tlsFlowNode(id: string, fields: FlowNode = {}): TypedNode {
  return {
    id,
    type: 'tls-config',
    name: '',
    cert: '',
    key: '',
    ca: '',
    certname: '',
    keyname: '',
    caname: '',
    servername: '',
    verifyservercert: true,
    alpnprotocol: '',
    ...fields,
  };
}

/**
 * An avaya-analytics-server node as saved by the first release (version 1: the runtime upgrades it), heartbeat
 * 8 s, tokens not verified; `fields` gives at least `url` and `tls`, and the credentials where the flow carries them.
 */
export function serverFlowNode(id: string, fields: FlowNode): TypedNode {
  return {
    id,
    type: 'avaya-analytics-server',
    name: '',
    url: '',
    tenant: '0',
    tls: '',
    heartbeat: 8,
    tokenVerification: 'none',
    tokenKey: '',
    jwksUrl: '',
    verbose: false,
    version: 1,
    ...fields,
  };
}

/** An avaya-analytics-subscribe node with pumpup rows and the control output on; `fields`: server, producer, wires… */
export function subscribeFlowNode(id: string, fields: FlowNode): TypedNode {
  return {
    id,
    type: 'avaya-analytics-subscribe',
    name: '',
    server: '',
    producer: '',
    source: '',
    emitPumpup: true,
    controlOutput: true,
    outputs: 2,
    version: 2,
    ...fields,
  };
}

const STATE = 'avaya-analytics-state';

/** An avaya-analytics-state node with the settings the editor creates (nodes/shared/schemas.ts); `fields`: the rest. */
export function stateFlowNode(id: string, fields: FlowNode): TypedNode {
  return { id, type: STATE, ...CONFIG_SCHEMAS[STATE].defaults, version: CONFIG_SCHEMAS[STATE].version, ...fields };
}
