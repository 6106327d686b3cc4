// Listeners are detached by construction (nodes/shared/listeners.ts): whatever a node adds to the shared client,
// a subscription or RED.events is gone after an unsubscribe msg, a close and a redeploy.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { AnalyticsClient, Subscription } from '../../lib/api';
import { NodeListeners } from '../../nodes/shared/listeners';
import {
  ALL_NODES,
  helper,
  onTab,
  serverConfig,
  simulatorForSuite,
  type FlowNode,
} from '../helpers/node-red-test-helper';
import { until } from '../helpers/wait';

const PRODUCERS = ['Agent_SoD_3.5', 'RoutingService_SoD_3.5'];
// Not 'warning': the client logs its warnings through the server node's logger itself.
const CLIENT_EVENTS = ['state', 'input'] as const;
const SUBSCRIPTION_EVENTS = ['message', 'pumpupComplete', 'state'] as const;

interface HubInternals {
  client: AnalyticsClient | null;
  held: Map<string, { subscription: Subscription }>;
}

describe('node listeners', function () {
  this.timeout(30_000);
  const sim = simulatorForSuite();

  it('NodeListeners removes every listener it added, and only those', () => {
    const emitter = new EventEmitter();
    const own = (): void => undefined;
    emitter.on('a', own);
    const listeners = new NodeListeners();
    listeners.onEvent(emitter, 'a', () => undefined);
    listeners.onEvent(emitter, 'b', () => undefined);
    listeners.onEvent(emitter, 'b', () => undefined);
    assert.equal(listeners.size, 3);
    assert.equal(emitter.listenerCount('a') + emitter.listenerCount('b'), 4);
    listeners.removeAll();
    assert.deepEqual([emitter.listenerCount('a'), emitter.listenerCount('b'), listeners.size], [1, 0, 0]);
    assert.deepEqual(emitter.listeners('a'), [own], 'a listener someone else added stays');
  });

  it('leaves no listener on the client, the subscriptions or RED.events after unsubscribe, close and redeploy', async () => {
    const events = (helper as { _events: EventEmitter })._events;
    const flowsStartedBefore = events.listenerCount('flows:started');
    const cfg = serverConfig(sim());
    const subs: FlowNode[] = PRODUCERS.map((producer, i) => ({
      id: `sub${i}`,
      type: 'avaya-analytics-subscribe',
      server: 'server',
      producer,
      source: '',
      emitPumpup: false,
      controlOutput: false,
      lifecycle: 'inband',
      outputs: 1,
      version: 2,
      wires: [[]],
    }));
    await helper.load(ALL_NODES, [...cfg.nodes, ...onTab(subs)], cfg.credentials);
    const hub = helper.getNode<{ hub: HubInternals }>('server').hub;
    await until(
      'both subscriptions ready',
      () => hub.held.size === 2 && [...hub.held.values()].every((h) => h.subscription.state === 'ready'),
      20_000,
    );
    const client = hub.client;
    assert.ok(client, 'the hub has a client');
    const subscriptions = [...hub.held.values()].map((h) => h.subscription);
    for (const event of CLIENT_EVENTS) assert.equal(client.listenerCount(event), 1, `the hub listens to '${event}'`);
    for (const sub of subscriptions)
      for (const event of SUBSCRIPTION_EVENTS) assert.equal(sub.listenerCount(event), 1, `sub listens to '${event}'`);
    assert.equal(
      events.listenerCount('flows:started'),
      flowsStartedBefore + 1,
      'the server node listens to flows:started',
    );

    // An unsubscribe msg: that node's listeners go, the other's stay.
    const first = subscriptions[0]!;
    const node = helper.getNode('sub0');
    node.receive({ action: 'unsubscribe' });
    await until('sub0 unsubscribed', () => SUBSCRIPTION_EVENTS.every((e) => first.listenerCount(e) === 0));
    assert.equal(subscriptions[1]!.listenerCount('message'), 1);

    // Close everything (a full redeploy stops every node): nothing of ours is left on anything that outlives it.
    await helper.unload();
    for (const event of CLIENT_EVENTS) assert.equal(client.listenerCount(event), 0, `'${event}' on the client`);
    for (const sub of subscriptions)
      for (const event of SUBSCRIPTION_EVENTS)
        assert.equal(sub.listenerCount(event), 0, `'${event}' on a subscription`);
    assert.equal(events.listenerCount('flows:started'), flowsStartedBefore, 'flows:started');
  });
});
