// avaya-analytics-subscribe: one producer's stream into the flow (the contract: lib/flow-messages.ts).
//   output 1: one msg per pumpup row, delta and delete, and the lifecycle events (msg.control:
//             subscribed, pumpupComplete, disconnected, ...) in-band, in the order they happened,
//             so a state node on this one wire keeps a view that is right after every reconnect
//   output 2 (optional): the lifecycle events again (the same msgs), for flows that want them apart
// Heartbeats never reach the flow (the client consumes them). The per-message path builds one msg
// object and nothing else: no clone, no log, and the status is redrawn at most once a second.
import type { AnalyticsMessage, FaultCause, StateEvent, Subscription, SubscriptionState } from '../../lib/api';
import { dataMessage, lifecycleMessage, type LifecycleEvent } from '../../lib/flow-messages';
import { takeBuiltRow } from '../../lib/frames/built-names';
import { MessageIds } from '../../lib/message-ids';
import type { HubUser } from '../avaya-analytics-server/connection-hub';
import { findServer, type ServerNode } from '../avaya-analytics-server/server-node';
import { CauseView } from '../shared/cause-view';
import { NodeListeners } from '../shared/listeners';
import { shortReason, toNodeError } from '../shared/errors';
import type { DoneFunction, Node, NodeDef, NodeMessage, NodeRedApi } from '../shared/node-red';
import { CONFIG_SCHEMAS } from '../shared/schemas';
import { runServerAction } from '../shared/server-actions';
import { cachedTranslator } from '../shared/status-texts';
import { ThrottledStatus } from '../shared/throttled-status';
import { upgradeConfig } from '../shared/upgrade';
import { firstWireToState, lifecycleInBand, nodeTypes } from './lifecycle-output';
import { refusalText, subscribeStatus } from './subscribe-status';

interface SubscribeConfig extends NodeDef {
  server: string;
  producer: string;
  source: string;
  emitPumpup: boolean;
  controlOutput: boolean;
  /** Where the lifecycle events go: see lifecycle-output.ts. */
  lifecycle: string;
  version: number;
}

/**
 * Connection states forwarded as lifecycle events (the others are internal). "stopped" (a flow sent
 * msg.action "disconnect") is a "disconnected" whose payload.cause.kind is "by-flow".
 */
const FORWARDED_STATES: ReadonlyMap<string, LifecycleEvent> = new Map<string, LifecycleEvent>([
  ['connected', 'connected'],
  ['ready', 'ready'],
  ['stale', 'stale'],
  ['disconnected', 'disconnected'],
  ['auth-failed', 'auth-failed'],
  ['stopped', 'disconnected'],
]);

export = function registerSubscribe(RED: NodeRedApi): void {
  /** The status texts, each key translated once (status-texts.ts). */
  const statusText = cachedTranslator(RED._);
  function AvayaAnalyticsSubscribe(this: Node, stored: SubscribeConfig): void {
    const config = upgradeConfig(stored, CONFIG_SCHEMAS['avaya-analytics-subscribe']);
    RED.nodes.createNode(this, config);
    const node = this;
    const producer = typeof config.producer === 'string' ? config.producer.trim() : '';
    const source = typeof config.source === 'string' && config.source.trim() ? config.source.trim() : undefined;
    const emitPumpup = config.emitPumpup !== false;
    const controlOutput = config.controlOutput === true;
    const typeOf = nodeTypes((cb) => RED.nodes.eachNode(cb));
    const inBand = lifecycleInBand(config.lifecycle, config.wires, typeOf);
    const server: ServerNode | null = findServer(RED.nodes.getNode, config.server);
    const redact = (text: string): string => (server ? server.redact(text) : text);

    let subscription: Subscription | null = null;
    // Set before asking the hub: the client may report 'connecting' before subscribe() returns.
    let wanted = false;
    let connection: StateEvent['state'] | null = null;
    let problem: string | null = null;
    let count = 0;
    /**
     * The last lifecycle event sent and the kind of its cause: each retry of an outage reports "disconnected" with
     * the same cause again, sent once; a new cause (by flow, then a real fault) goes out.
     */
    let lastEvent: LifecycleEvent | null = null;
    let lastCauseKind: string | undefined;
    const ids = new MessageIds();

    const causes = server ? new CauseView(server) : null;
    const status = new ThrottledStatus(node, () => {
      const refusal = subscription ? subscription.failureCause : null;
      return subscribeStatus(statusText, {
        problem,
        wanted,
        subscription: subscription ? subscription.state : null,
        connection,
        count,
        cause: causes?.connectionText(),
        failure: refusalText(statusText, refusal) ?? causes?.text(refusal),
        input: causes?.inputText(),
      });
    });

    /**
     * A lifecycle event goes out in-band on output 1 (unless `lifecycle` says otherwise), and as the same msg on
     * output 2 when it is on.
     */
    function sendLifecycle(event: LifecycleEvent, reason?: string, cause?: FaultCause): void {
      lastEvent = event;
      lastCauseKind = cause?.kind;
      if (!inBand && !controlOutput) return;
      const msg = lifecycleMessage(producer, event, ids.next(), reason, cause);
      node.send(controlOutput ? [inBand ? msg : null, msg] : msg);
    }

    // Hot path: one msg object per message, no logging.
    const onMessage = (m: AnalyticsMessage): void => {
      if (m.pumpup && !emitPumpup) return;
      count++;
      // A wide row's names are for a state node that gets this very payload (lib/frames/built-names.ts).
      if (!firstWireToState(node.wires, typeOf)) takeBuiltRow(m.measures);
      node.send(dataMessage(m, ids.next()));
      status.update();
    };
    // Without the pumpup rows a pumpupComplete would make the state node evict every entity.
    const onPumpupComplete = (): void => {
      if (emitPumpup) sendLifecycle('pumpupComplete');
    };
    const onSubscriptionState = (state: SubscriptionState, reason?: string): void => {
      if (state === 'subscribed') sendLifecycle('subscribed');
      else if (state === 'closed') sendLifecycle('unsubscribed', reason && redact(reason));
      else if (state === 'failed') {
        // The stream stopped: downstream views are not synced until a retry succeeds.
        node.warn(
          RED._('avaya-analytics-subscribe.errors.subscription-failed', { reason: reason ? redact(reason) : '' }),
        );
        sendLifecycle('failed', reason && redact(reason), subscription?.failureCause ?? undefined);
      }
      status.update();
    };

    const user: HubUser = {
      id: node.id,
      onConnectionState(event: StateEvent): void {
        connection = event.state;
        causes?.onState(event);
        const lifecycle = FORWARDED_STATES.get(event.state);
        const again = lifecycle === lastEvent && event.cause?.kind === lastCauseKind;
        // A refused subscription has no stream: the shared socket's "connected" and "ready" (other producers'
        // pumpups) must not tell a state or alert node downstream that this feed is live. Its "subscribed"
        // after a successful retry does.
        const liveWhileRefused =
          subscription?.state === 'failed' && (lifecycle === 'connected' || lifecycle === 'ready');
        if (subscription && lifecycle !== undefined && !again && !liveWhileRefused)
          sendLifecycle(lifecycle, event.reason && redact(event.reason), event.cause);
        status.now(); // a short outage must still show, not be throttled away
      },
      onInputCause(cause): void {
        causes?.onInput(cause);
        status.update();
      },
    };

    /** The listeners on the current subscription (removed on unsubscribe and on close). */
    const listeners = new NodeListeners();
    let failedNotice: NodeJS.Immediate | undefined;

    /**
     * The node cannot subscribe (no server, or a setting the server node refuses): the status and the log say
     * why, and a "failed" lifecycle event tells the state and alert nodes downstream that this feed is down.
     * After a "modified nodes" deploy that removed the server they still hold a view they think is live.
     */
    function cannotSubscribe(reason: string): void {
      problem = reason;
      node.error(reason);
      if (!producer) return;
      // Deferred: while a flow starts, the nodes after this one may not exist yet.
      clearImmediate(failedNotice);
      failedNotice = setImmediate(() => sendLifecycle('failed', reason));
    }

    function attach(srv: ServerNode): void {
      problem = null;
      clearImmediate(failedNotice); // a refusal not yet sent is outdated by this attempt
      wanted = true;
      try {
        subscription = srv.hub.subscribe(node.id, producer, source);
      } catch (err) {
        wanted = false;
        cannotSubscribe(shortReason(redact(err instanceof Error ? err.message : String(err))));
        status.update();
        return;
      }
      listeners.on(subscription, 'message', onMessage);
      listeners.on(subscription, 'pumpupComplete', onPumpupComplete);
      listeners.on(subscription, 'state', onSubscriptionState);
      status.update();
    }

    /** Stops listening; the hub decides whether the stream itself ends. */
    function detach(): Subscription | null {
      const sub = subscription;
      listeners.removeAll();
      subscription = null;
      wanted = false;
      return sub;
    }

    if (!server) {
      cannotSubscribe(RED._('avaya-analytics-subscribe.errors.no-server'));
    } else if (!producer) {
      problem = RED._('avaya-analytics-subscribe.errors.no-producer');
      node.error(problem);
    } else {
      server.register(user);
      attach(server);
    }
    status.update();

    node.on('input', (msg: NodeMessage, _send: unknown, done: DoneFunction) => {
      const fail = (err: unknown): void => done(toNodeError(err, redact));
      if (!server || !producer) return fail(new Error(problem ?? RED._('avaya-analytics-subscribe.errors.no-server')));
      try {
        if (runServerAction(server, msg, (m) => node.send(controlOutput ? [null, m] : m))) return done();
      } catch (err) {
        return fail(err);
      }
      switch (msg.action) {
        case 'pumpup':
          if (!subscription) return fail(new Error(RED._('avaya-analytics-subscribe.errors.not-subscribed')));
          subscription.requestPumpup().then(() => done(), fail);
          return;
        case 'unsubscribe': {
          const sub = detach();
          status.update();
          if (!sub) return done();
          // The msg's done() waits for the guide's stages (redirect, DELETE) to finish.
          server.hub.unsubscribe(node.id).then(() => {
            sendLifecycle('unsubscribed');
            done();
          }, fail);
          return;
        }
        case 'subscribe':
          if (!subscription) attach(server);
          else server.hub.retryNow(); // subscribed but refused or waiting: try again now
          return problem ? fail(new Error(problem)) : done();
        default:
          return fail(
            new Error(RED._('avaya-analytics-subscribe.errors.unknown-action', { action: String(msg.action) })),
          );
      }
    });

    node.on('close', (removed: boolean, done: () => void) => {
      clearImmediate(failedNotice);
      status.dispose();
      detach();
      if (server) server.deregister(user, removed, done);
      else done();
    });
  }

  RED.nodes.registerType('avaya-analytics-subscribe', AvayaAnalyticsSubscribe);
};
