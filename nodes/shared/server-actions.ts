// The msg.action values every node of a server understands, besides its own:
//   "retry"              retry the connection (and refused subscriptions) now instead of after the backoff
//   "connect"            end a "disconnect" (or a start without connecting); otherwise as "retry"
//   "disconnect"         unsubscribe on the server as the guide describes, close the socket, stay down
//   "reconnect"          drop the socket and connect again at once
//   "reconfigure"        new url / tenant / username / password from msg.payload (throws for bad values)
//   "stats"              answer with msg.payload = the connection's state, last fault and counters
import { scrubReconfiguration } from '../avaya-analytics-server/reconfiguration';
import type { ServerNode } from '../avaya-analytics-server/server-node';
import type { NodeMessage } from './node-red';

/**
 * Runs a server action; returns false when `msg.action` is none of them (the node handles it). Throws
 * a localized Error for a reconfigure with unusable values (for the node's done(err)).
 * `reply` sends the stats msg on the node's output of choice.
 */
export function runServerAction(server: ServerNode, msg: NodeMessage, reply: (msg: NodeMessage) => void): boolean {
  switch (msg.action) {
    case 'retry':
      server.hub.retryNow();
      return true;
    case 'connect':
      server.hub.connect();
      return true;
    case 'reconnect':
      server.hub.reconnect();
      return true;
    case 'disconnect':
      void server.hub.disconnect();
      return true;
    case 'reconfigure':
      try {
        server.reconfigure(msg.payload);
      } finally {
        scrubReconfiguration(msg.payload);
      }
      return true;
    default:
      break;
  }
  if (msg.action === 'stats') {
    msg.payload = server.hub.stats();
    reply(msg);
    return true;
  }
  return false;
}
