// avaya-analytics-alert: declarative alerts ("agent NOT_READY for 10 minutes", "more than 5 contacts
// waiting for 30 s", "feed stale for 2 minutes") with raise, repeat and clear.
//
// Input: the message contract of lib/flow-messages.ts, straight from output 1 of
// avaya-analytics-subscribe. The node keeps its own accumulated view (a StateStore inside the
// AlertEngine) rather than sitting behind a state node: the one default wire then brings it the full
// records AND the lifecycle events in order, so it knows when the view is synced (no evaluation during
// a pumpup), what a pumpup evicted (clear), and when a feed went stale. Output: alert msgs
// (msg.alert raise | repeat | clear) and command replies (msg.action list | ack).
//
// One scheduler (a heap, one timer) serves every rule and entity; raised alerts are kept in the node's
// flow context (a redeploy, and with a persistent context store a restart, pages nobody twice).
import { AlertEngine, parseRules } from '../../lib/alert/index';
import { FEED_STATES, type FeedState } from '../../lib/broker';
import { HealthBoard } from '../../lib/health-board';
import { FlowMessageError, LOSS_EVENTS, parseStateInput } from '../../lib/flow-messages';
import { LifecycleDeduper } from '../../lib/message-ids';
import { StateInputError } from '../../lib/state/index';
import { ViewPersistence, type ContextScope } from '../avaya-analytics-state/persistence';
import type {
  DoneFunction,
  Node,
  NodeDef,
  NodeMessage,
  NodeRedApi,
  NodeStatus,
  SendFunction,
} from '../shared/node-red';
import { FeedLosses } from '../shared/feed-losses';
import { CONFIG_SCHEMAS } from '../shared/schemas';
import { cachedTranslator } from '../shared/status-texts';
import { ThrottledStatus } from '../shared/throttled-status';
import { upgradeConfig } from '../shared/upgrade';
import { STORE_NAME } from '../shared/vocabulary';
import { alertMessage } from './messages';
import { textsFor } from './texts';

const TYPE = 'avaya-analytics-alert';
const PERSIST_INTERVAL_MS = 1000;

interface AlertNodeDef extends NodeDef {
  server?: string;
  producer?: string;
  rules?: unknown;
  lang?: string;
  store?: string;
  version?: number;
}

interface ContextNode extends Node {
  context(): { flow: ContextScope };
}

type Input = [NodeMessage, SendFunction, DoneFunction];

export = function registerAlert(RED: NodeRedApi): void {
  /** The status texts, each key translated once (status-texts.ts). */
  const statusText = cachedTranslator(RED._);
  function AvayaAnalyticsAlert(this: ContextNode, stored: AlertNodeDef): void {
    const def = upgradeConfig(stored, CONFIG_SCHEMAS[TYPE]);
    RED.nodes.createNode(this, def);
    const node = this;
    const { rules, problems } = parseRules(def.rules);
    for (const p of problems)
      node.warn(
        RED._(`${TYPE}.warn.rule`, { rule: p.rule, problem: RED._(`${TYPE}.problem.${p.key}`, { detail: p.detail }) }),
      );
    const texts = textsFor(def.lang);
    const lifecycleSeen = new LifecycleDeduper();
    let health: HealthBoard | null = null;
    let storeName = typeof def.store === 'string' && def.store.trim() !== '' ? def.store.trim() : undefined;
    if (storeName !== undefined && !STORE_NAME.test(storeName)) {
      node.warn(RED._(`${TYPE}.warn.bad-store`));
      storeName = undefined;
    }

    /** The output of the input handler running now (alerts raised by a msg go out with it); else node.send. */
    let sendNow: SendFunction | null = null;
    const engine = new AlertEngine(rules, {
      producer: typeof def.producer === 'string' ? def.producer.trim() : '',
      emit: (e) => {
        const msg = alertMessage(e, texts);
        if (sendNow !== null) sendNow(msg);
        else node.send(msg);
        status.now();
      },
    });

    const losses = new FeedLosses();
    const status = new ThrottledStatus(node, (): NodeStatus => {
      if (restoring) return { fill: 'grey', shape: 'ring', text: statusText(`${TYPE}.status.restoring`) };
      const raised = engine.raised;
      const store = engine.store;
      if (store.producers().length === 0)
        return { fill: 'grey', shape: 'ring', text: statusText(`${TYPE}.status.waiting`, { raised }) };
      if (!store.allSynced()) {
        const why = losses.text(store);
        const text =
          why === null
            ? statusText(`${TYPE}.status.unsynced`, { raised })
            : statusText(`${TYPE}.status.unsynced-why`, { raised, why });
        return { fill: 'yellow', shape: 'ring', text };
      }
      return raised > 0
        ? { fill: 'red', shape: 'dot', text: statusText(`${TYPE}.status.raised`, { raised }) }
        : { fill: 'green', shape: 'dot', text: statusText(`${TYPE}.status.none`) };
    });

    // In the flow context: Node-RED deletes a node's own context whenever the node stops (a redeploy)
    // unless a context store is configured; the flow's context survives the redeploy of its nodes.
    const persistence = new ViewPersistence(
      node.context().flow,
      storeName,
      'avayaAlerts_' + node.id.replace(/[^A-Za-z0-9_]/g, '_'),
      PERSIST_INTERVAL_MS,
      () => engine.toPersisted(),
      (err) => node.warn(RED._(`${TYPE}.warn.persist-failed`, { error: err.message })),
    );
    engine.onChange = () => persistence.changed();

    // Until the kept alerts are back, inputs wait (in order): a pumpupComplete evaluated before the
    // restore would raise again what is already raised.
    let restoring = true;
    const queued: Input[] = [];
    persistence
      .load()
      .then((value) => {
        const count = value === undefined || value === null ? 0 : engine.restore(value);
        if (count > 0) node.log(RED._(`${TYPE}.info.restored`, { count }));
      })
      .catch((err: unknown) =>
        node.warn(RED._(`${TYPE}.warn.restore-failed`, { error: err instanceof Error ? err.message : String(err) })),
      )
      .finally(() => {
        restoring = false;
        for (const [msg, send, done] of queued.splice(0)) handle(msg, send, done);
        status.update();
      });
    status.update();

    function command(action: string, msg: NodeMessage, send: SendFunction): void {
      if (action === 'list') {
        const alerts = engine.list().map((e) => {
          const m = alertMessage(e, texts);
          return { topic: m.topic, payload: m.payload, details: m.details };
        });
        msg.payload = alerts;
        msg.count = alerts.length;
        send(msg);
      } else if (action === 'ack') {
        const id = msg.topic;
        if (typeof id !== 'string' || id === '') throw new Error(RED._(`${TYPE}.errors.no-topic`));
        const acked = engine.ack(id);
        msg.found = acked !== null;
        msg.payload = acked === null ? null : alertMessage(acked, texts).details;
        send(msg);
      } else if (action === 'reset') {
        engine.reset();
      } else {
        throw new Error(RED._(`${TYPE}.errors.unknown-action`, { action: String(action).slice(0, 64) }));
      }
    }

    function handle(msg: NodeMessage, send: SendFunction, done: DoneFunction): void {
      sendNow = send;
      try {
        if (msg.action !== undefined) command(msg.action as string, msg, send);
        else {
          const input = parseStateInput(msg);
          if (input.kind === 'data') engine.data(input.msg);
          else if (input.kind === 'lifecycle') {
            const payload = msg.payload as { at?: unknown; reason?: unknown; cause?: unknown } | undefined;
            const when = typeof payload?.at === 'number' ? payload.at : undefined;
            // A broker consumer's state node passes its feed health on as lifecycle events with msg.feed
            // (one per producer, possibly under one _msgid): the feed state says whether the view is synced.
            if (isFeedState(msg.feed)) {
              engine.health(input.producer, msg.feed, when);
              const why = typeof payload?.reason === 'string' ? payload.reason : input.event;
              losses.health(input.producer, msg.feed === 'live', why);
            } else if (lifecycleSeen.first(input.msgid)) {
              engine.lifecycle(input.event, input.producer, when);
              if (LOSS_EVENTS.has(input.event)) losses.lost(input.producer, input.event, payload?.cause);
            }
          } else if (input.kind === 'health') {
            // Wired to core mqtt in on a broker's health topics: a producer is as good as its best collector.
            health ??= new HealthBoard();
            for (const change of health.apply(input)) {
              engine.health(change.producer, change.state);
              losses.health(change.producer, change.state === 'live', change.cause);
            }
          }
          // A dictionary (msg.labels) changes nothing here.
        }
        done();
      } catch (err) {
        done(toNodeError(err));
      } finally {
        sendNow = null;
        status.update();
      }
    }

    node.on('input', (msg: NodeMessage, send: SendFunction, done: DoneFunction) => {
      if (restoring) queued.push([msg, send, done]);
      else handle(msg, send, done);
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      engine.stop();
      status.dispose();
      // Written also when the node is removed (the flow context outlives it; a reset empties it).
      void persistence.flush().then(() => done());
    });
  }

  function isFeedState(value: unknown): value is FeedState {
    return typeof value === 'string' && (FEED_STATES as readonly string[]).includes(value);
  }

  function toNodeError(err: unknown): Error {
    if (err instanceof FlowMessageError) return new Error(RED._(`${TYPE}.errors.unknown-msg`));
    if (err instanceof StateInputError) return new Error(RED._(`${TYPE}.errors.bad-input`, { reason: err.message }));
    return err instanceof Error ? err : new Error(String(err));
  }

  RED.nodes.registerType(TYPE, AvayaAnalyticsAlert);
};
