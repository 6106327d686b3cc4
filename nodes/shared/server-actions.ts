// The msg.action values every node of a server understands, besides its own:
//   "connect" / "retry"  retry the connection (and refused subscriptions) now instead of after the backoff
//   "stats"              answer with msg.payload = the connection's state, last fault and counters
import type { SERVER_ACTIONS } from '../../lib/flow-messages.js';
import type { ServerNode } from '../avaya-analytics-server/server-node.js';
import type { NodeMessage } from './node-red.js';

export const RETRY_ACTIONS: ReadonlySet<unknown> = new Set<(typeof SERVER_ACTIONS)[number]>(['connect', 'retry']);

/**
 * Runs a server action; returns false when `msg.action` is none of them (the node handles it).
 * `reply` sends the stats msg on the node's output of choice.
 */
export function runServerAction(server: ServerNode, msg: NodeMessage, reply: (msg: NodeMessage) => void): boolean {
  if (RETRY_ACTIONS.has(msg.action)) {
    server.hub.retryNow();
    return true;
  }
  if (msg.action === 'stats') {
    msg.payload = server.hub.stats();
    reply(msg);
    return true;
  }
  return false;
}
