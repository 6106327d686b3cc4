// The short status text of a FaultCause in the runtime's language. Lives with the server node because
// RED._ of a node module resolves only that module's catalog: the other nodes ask their server.
import type { FaultCause } from '../../lib/api';
import { DROPPED } from '../../lib/client/cause';
import type { NodeRedApi } from '../shared/node-red';

export function translateCause(RED: NodeRedApi, cause: FaultCause): string {
  const kind = cause.kind === 'network' && cause.value === DROPPED ? 'network-dropped' : cause.kind;
  const key = `avaya-analytics-server.cause.${kind}`;
  const text = RED._(key, { value: cause.value ?? '' });
  // An unknown kind (a newer lib) still shows something meaningful.
  return text && text !== key ? text : cause.short;
}
