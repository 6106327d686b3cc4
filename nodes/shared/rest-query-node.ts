// The common life of the nodes that answer an input msg with one REST query through the config
// node's shared client (dimdata, dictionary): register with the server, show the request state,
// hand errors with the server's text to done(err) so Catch nodes get them with the msg kept. The
// status shows a failed query's cause in short ("HTTP 502", "timeout: deadline"), and the shared
// connection's cause while it is down. msg.action "connect"/"retry"/"stats": see server-actions.ts.
import type { AnalyticsClient, StateEvent } from '../../lib/api';
import { causeOf } from '../../lib/client/cause';
import type { HubUser } from '../avaya-analytics-server/connection-hub';
import { findServer, type ServerNode } from '../avaya-analytics-server/server-node';
import { CauseView } from './cause-view';
import { AnalyticsError } from '../../lib/errors';
import { shortReason, toNodeError } from './errors';
import type { Node, NodeMessage, NodeRedApi, SendFunction } from './node-red';
import { runServerAction } from './server-actions';

/**
 * Fills `msg` from the server and returns the number of records for the status, or throws (an
 * invalid override or a failed query). `type` prefixes the node's i18n keys.
 */
export type RestQuery = (client: AnalyticsClient, msg: NodeMessage) => Promise<number>;

export function runRestQueryNode(RED: NodeRedApi, node: Node, type: string, serverId: unknown, query: RestQuery): void {
  const server: ServerNode | null = findServer(RED.nodes.getNode, serverId);
  const redact = (text: string): string => (server ? server.redact(text) : text);
  const causes = server ? new CauseView(server) : null;
  let showingCause = false;
  const user: HubUser = {
    id: node.id,
    onConnectionState(event: StateEvent): void {
      causes?.onState(event);
      const text = causes?.connectionText();
      if (text) node.status({ fill: 'red', shape: 'ring', text });
      else if (showingCause) node.status({});
      showingCause = Boolean(text);
    },
  };
  if (server) {
    server.register(user);
  } else {
    node.status({ fill: 'red', shape: 'ring', text: RED._(`${type}.errors.no-server`) });
  }

  node.on('input', (msg: NodeMessage, send: SendFunction, done: (err?: Error) => void) => {
    if (!server) return done(new Error(RED._(`${type}.errors.no-server`)));
    try {
      if (runServerAction(server, msg, (m) => send(m))) return done();
    } catch (err) {
      return done(err instanceof Error ? err : new Error(String(err)));
    }
    node.status({ fill: 'blue', shape: 'ring', text: RED._(`${type}.status.requesting`) });
    let pending: Promise<number>;
    try {
      pending = query(server.hub.rest(), msg);
    } catch (err) {
      pending = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    pending.then(
      (count) => {
        node.status({ fill: 'green', shape: 'dot', text: RED._(`${type}.status.done`, { count }) });
        send(msg);
        done();
      },
      (err: unknown) => {
        const error = toNodeError(err, redact);
        // A fault of the server has a short cause; anything else (a bad msg.kind) its own text.
        const text =
          err instanceof AnalyticsError
            ? server.causeText(causeOf(err, error.message))
            : RED._(`${type}.status.error`, { reason: shortReason(error.message) });
        node.status({ fill: 'red', shape: 'ring', text });
        done(error);
      },
    );
  });

  node.on('close', (removed: boolean, done: () => void) => {
    if (server) server.deregister(user, removed, done);
    else done();
  });
}
