// avaya-analytics-state: the accumulated view of every entity of the producers wired into it, so a
// flow can ask "what is agent X doing now" instead of juggling deltas. Its input is the message
// contract of lib/flow-messages.ts, read by parseStateInput(): data and lifecycle events from
// avaya-analytics-subscribe (one wire carries both, in order: "pumpupComplete" ends a resync and
// evicts what the server no longer has), dictionaries (for msg.labels) and msg.action commands.
// Each lifecycle event is applied once, also when a second wire brings it again, and passed on
// with msg.synced. Per data msg: one store update reading the msg itself, at most one output built
// by reusing the msg, no logging; the status is redrawn at most once a second and the persisted
// copy written at most once per interval.
import { BrokerMessageError } from '../../lib/broker';
import { takeBuiltRow } from '../../lib/frames/built-names';
import { CONTROL_OF_FEED, HealthBoard } from '../../lib/health-board';
import {
  FlowMessageError,
  LOSS_EVENTS,
  parseStateInput,
  RESYNC_EVENTS,
  type DataMessage,
  type StateCommand,
  type StateInput,
} from '../../lib/flow-messages';
import { LifecycleDeduper } from '../../lib/message-ids';
import { StateInputError, StateStore, type StateChange } from '../../lib/state/index';
import { toLabelMap } from '../../lib/state/labels';
import { FeedLosses } from '../shared/feed-losses';
import type { DoneFunction, Node, NodeMessage, NodeRedApi, NodeStatus, SendFunction } from '../shared/node-red';
import { CONFIG_SCHEMAS } from '../shared/schemas';
import { cachedTranslator } from '../shared/status-texts';
import { ThrottledStatus } from '../shared/throttled-status';
import { upgradeConfig } from '../shared/upgrade';
import { CommandError, get, reset, snapshot } from './commands';
import { parseConfig, type StateNodeDef } from './config';
import { changeMessage, LabelBook } from './outputs';
import { ViewPersistence, type ContextScope } from './persistence';

const TYPE = 'avaya-analytics-state';

/** A node with its context (the shared declarations leave it out; only this node persists). */
interface ContextNode extends Node {
  context(): { flow: ContextScope; global: ContextScope };
}

export = function registerState(RED: NodeRedApi): void {
  /** The status texts, each key translated once (status-texts.ts). */
  const statusText = cachedTranslator(RED._);
  function AvayaAnalyticsState(this: ContextNode, stored: StateNodeDef): void {
    const def = upgradeConfig(stored, CONFIG_SCHEMAS[TYPE]);
    RED.nodes.createNode(this, def);
    const node = this;
    const config = parseConfig(def);
    for (const problem of config.problems) node.warn(RED._(`${TYPE}.warn.${problem}`));
    const store = new StateStore({ maxEntities: config.maxEntities, derived: config.derived });
    const labels = new LabelBook();
    const diff = config.emit !== 'never'; // nobody reads changed/previous when nothing is emitted
    const lifecycleSeen = new LifecycleDeduper();
    /** Feed health from a broker's health topics (a consumer fed by core mqtt in); made on the first report. */
    let health: HealthBoard | null = null;
    let full = false; // the entity bound was hit; re-armed once there is room again
    /** Pending while the kept view is read from the context store (a Redis store answers asynchronously). */
    let whenRestored: Promise<void> | null = null;

    const losses = new FeedLosses();
    const status = new ThrottledStatus(node, (): NodeStatus => {
      const count = store.size;
      if (full)
        return {
          fill: 'red',
          shape: 'ring',
          text: statusText(`${TYPE}.status.full`, { count, max: config.maxEntities }),
        };
      if (whenRestored !== null) return { fill: 'grey', shape: 'ring', text: statusText(`${TYPE}.status.restoring`) };
      if (store.allSynced())
        return { fill: 'green', shape: 'dot', text: statusText(`${TYPE}.status.synced`, { count }) };
      if (store.producers().length === 0)
        return { fill: 'yellow', shape: 'ring', text: statusText(`${TYPE}.status.waiting`) };
      const why = losses.text(store);
      if (why !== null)
        return { fill: 'yellow', shape: 'ring', text: statusText(`${TYPE}.status.unsynced-why`, { count, why }) };
      return { fill: 'yellow', shape: 'ring', text: statusText(`${TYPE}.status.unsynced`, { count }) };
    });

    const persistence =
      config.persist === 'none'
        ? null
        : new ViewPersistence(
            node.context()[config.persist],
            config.store,
            config.persistKey,
            config.persistIntervalMs,
            () => store.toPersisted(),
            (err) => node.warn(RED._(`${TYPE}.warn.persist-failed`, { error: err.message })),
          );

    if (persistence !== null) {
      whenRestored = persistence
        .load()
        .then((value) => {
          if (value === undefined || value === null) return;
          const count = store.restore(value);
          node.log(RED._(`${TYPE}.info.restored`, { count }));
        })
        .catch((err: unknown) => node.warn(RED._(`${TYPE}.warn.restore-failed`, { error: errorText(err) })))
        .finally(() => {
          whenRestored = null;
          status.update();
        });
    }
    status.update();

    /** Whether a change is sent, by the emit option. Deletes and evictions always are (unless "never"). */
    function wanted(change: StateChange): boolean {
      if (config.emit === 'all') return true;
      if (config.emit === 'never') return false;
      if (change.kind !== 'upsert') return true;
      for (const name of change.changed) if (config.measures.has(name)) return true;
      return false;
    }

    function afterChange(removed: boolean): void {
      if (removed && full && store.size < config.maxEntities) full = false;
      persistence?.changed();
      status.update();
    }

    // The hot path: one store update, reading the msg itself; the msg reused for the output.
    function onData(msg: DataMessage, send: SendFunction): void {
      // A wide row straight from a subscribe node comes with its names and values (lib/frames/built-names.ts).
      const row = takeBuiltRow(msg.payload);
      const result = row === undefined ? store.apply(msg, diff) : store.apply(msg, diff, row.names, row.values);
      if (result === null) return;
      if (result.kind === 'rejected') {
        if (!full) node.warn(RED._(`${TYPE}.warn.full`, { max: config.maxEntities }));
        full = true;
        status.update();
        return;
      }
      afterChange(result.kind !== 'upsert');
      if (wanted(result)) send(changeMessage(msg, result, store, labels, msg.dimension));
    }

    /** Applies a lifecycle event once (a second wire brings the same _msgid), then passes it on with msg.synced. */
    function onLifecycle(
      input: Extract<StateInput, { kind: 'lifecycle' }>,
      msg: NodeMessage,
      send: SendFunction,
    ): void {
      if (!lifecycleSeen.first(input.msgid)) return;
      const { event, producer } = input;
      if (event === 'pumpupComplete') {
        for (const change of store.pumpupComplete(producer)) {
          if (wanted(change)) send(changeMessage({}, change, store, labels));
        }
        afterChange(true);
      } else {
        if (LOSS_EVENTS.has(event)) {
          store.connectionLost(producer);
          losses.lost(producer, event, (msg.payload as { cause?: unknown } | undefined)?.cause);
        } else if (RESYNC_EVENTS.has(event)) store.beginResync(producer);
        status.update(); // other events ("ready") change nothing here
      }
      if (config.emit !== 'never') {
        msg.synced = store.isSynced(producer);
        send(msg);
      }
    }

    /**
     * A health topic of the broker (a consumer): the producers whose best collector's feed changed are
     * marked synced (live) or not, and each change goes on as the lifecycle event it amounts to
     * (ready, connected, stale, disconnected), so flows read it like a subscribe node's.
     */
    function onHealth(input: Extract<StateInput, { kind: 'health' }>, msg: NodeMessage, send: SendFunction): void {
      health ??= new HealthBoard();
      for (const change of health.apply(input)) {
        store.setSynced(change.producer, change.state === 'live');
        losses.health(change.producer, change.state === 'live', change.cause);
        if (config.emit === 'never') continue;
        const control = CONTROL_OF_FEED[change.state];
        send({
          _msgid: msg._msgid,
          topic: change.producer,
          producer: change.producer,
          control,
          payload: { state: control, reason: change.cause, at: Date.now() },
          feed: change.state,
          synced: change.state === 'live',
        });
      }
      status.update();
    }

    function onCommand(action: StateCommand, msg: NodeMessage, send: SendFunction): void {
      if (action === 'snapshot') send(snapshot(msg, store, labels));
      else if (action === 'get') send(get(msg, store, labels));
      else {
        reset(msg, store);
        afterChange(true);
      }
    }

    function handle(msg: NodeMessage, send: SendFunction, done: DoneFunction): void {
      try {
        const input = parseStateInput(msg);
        switch (input.kind) {
          case 'data':
            onData(input.msg, send);
            break;
          case 'lifecycle':
            onLifecycle(input, msg, send);
            break;
          case 'dictionary':
            labels.set(input.producer, toLabelMap(input.labels, input.dictionary));
            break;
          case 'command':
            onCommand(input.action, msg, send);
            break;
          case 'reply':
            send(msg);
            break;
          case 'health':
            onHealth(input, msg, send);
            break;
        }
        done();
      } catch (err) {
        done(toNodeError(err));
      }
    }

    node.on('input', (msg: NodeMessage, send: SendFunction, done: DoneFunction) => {
      // Commands answer from (or reset) the restored view, so they wait for it; data need not wait:
      // the restore goes under what has arrived meanwhile.
      if (msg.action !== undefined && whenRestored !== null) {
        void whenRestored.then(() => handle(msg, send, done));
        return;
      }
      handle(msg, send, done);
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      status.dispose();
      if (persistence === null) return done();
      // The last view is written even when the node is removed: a shared store may serve other instances.
      void persistence.flush().then(() => done());
    });
  }

  /** A localized Error for done(err); the store's own reason (English, names the field) is kept in it. */
  function toNodeError(err: unknown): Error {
    if (err instanceof CommandError) return new Error(RED._(`${TYPE}.errors.${err.key}`, err.substitutions));
    if (err instanceof FlowMessageError)
      return new Error(RED._(`${TYPE}.errors.${err.code}`, { action: err.detail, control: err.detail }));
    if (err instanceof StateInputError || err instanceof BrokerMessageError) {
      const out = new Error(RED._(`${TYPE}.errors.bad-input`, { reason: err.message })) as Error & { code?: string };
      if (err instanceof StateInputError) out.code = err.code;
      return out;
    }
    return err instanceof Error ? err : new Error(String(err));
  }

  RED.nodes.registerType(TYPE, AvayaAnalyticsState);
};

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
