// What the subscribe node's status shows, from what it knows: a configuration problem, whether it
// wants a subscription, the subscription's state, the shared connection's state and the message
// count. Texts are i18n keys of this node's catalog, resolved by RED._ (the count is interpolated).
// When the cause of a fault is known its short form replaces the generic text ("HTTP 502" rather
// than "disconnected, retrying"); the causes arrive translated (see cause-view.ts).
import type { ConnectionState, FaultCause, SubscriptionState } from '../../lib/api';
import type { NodeStatus } from '../shared/node-red';
import type { Translate } from '../shared/status-texts';

export interface SubscribeView {
  problem: string | null;
  wanted: boolean;
  subscription: SubscriptionState | null;
  connection: ConnectionState | null;
  count: number;
  /** Short cause of the connection's trouble, e.g. "TLS: untrusted CA". */
  cause?: string | null;
  /** Short cause of the subscription's refusal, e.g. "HTTP 404". */
  failure?: string | null;
  /** Bad or dropped input of the last minute, e.g. "bad frames: 25". */
  input?: string | null;
}

const K = 'avaya-analytics-subscribe.status.';

/** Status codes of a refused subscription POST whose likely cause the status names (the server's text is logged). */
const REFUSALS: ReadonlySet<unknown> = new Set([403, 404]);

/** "HTTP 403: licence limit?" for a refusal whose code tells its likely cause, else null (the generic cause text). */
export function refusalText(_: Translate, cause: FaultCause | null): string | null {
  return cause?.kind === 'http' && REFUSALS.has(cause.value) ? _(K + 'refused-' + String(cause.value)) : null;
}

export function subscribeStatus(_: Translate, v: SubscribeView): NodeStatus {
  const count = { count: v.count };
  if (v.problem) return { fill: 'red', shape: 'ring', text: _(K + 'error', { reason: v.problem }) };
  if (v.subscription === null) {
    return v.wanted
      ? { fill: 'yellow', shape: 'ring', text: _(K + 'connecting') }
      : { fill: 'grey', shape: 'ring', text: _(K + 'unsubscribed') };
  }
  // Trouble on the shared connection outranks the subscription's own state.
  switch (v.connection) {
    case 'stopped':
      return { fill: 'grey', shape: 'ring', text: _(K + 'stopped') };
    case 'stale':
      return { fill: 'yellow', shape: 'dot', text: _(K + 'stale', count) };
    case 'disconnected':
      return { fill: 'red', shape: 'ring', text: v.cause ?? _(K + 'disconnected', count) };
    case 'auth-failed':
      return { fill: 'red', shape: 'dot', text: v.cause ?? _(K + 'auth-failed') };
    default:
      break;
  }
  if (v.input && (v.subscription === 'ready' || v.subscription === 'subscribed'))
    return { fill: 'yellow', shape: 'dot', text: v.input };
  switch (v.subscription) {
    case 'ready':
      return { fill: 'green', shape: 'dot', text: _(K + 'ready', count) };
    case 'subscribed':
      return { fill: 'green', shape: 'ring', text: _(K + 'subscribed', count) };
    case 'failed':
      return { fill: 'red', shape: 'ring', text: v.failure ?? _(K + 'failed') };
    case 'closed':
      return { fill: 'grey', shape: 'ring', text: _(K + 'unsubscribed') };
    default:
      return { fill: 'yellow', shape: 'ring', text: _(K + 'connecting') };
  }
}
