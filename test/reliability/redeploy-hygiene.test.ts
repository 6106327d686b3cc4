// Resource hygiene over 100 deploy cycles of a live flow (server → subscribe ×2 → state, traffic
// running): 90 'nodes' deploys that replace the subscribe nodes (they adopt the parked subscriptions)
// and 10 full deploys (a new server node, client, login and subscriptions each time). Afterwards the
// server holds exactly one socket and one subscription per producer, the client's listeners did not
// pile up, Node-RED's event listeners are back to their count, the process holds no more sockets or
// timers than before, the heap is stable, and the state node's view equals the ground truth.
import assert from 'node:assert/strict';
import { helper, USER, serverHub } from '../helpers/node-red-test-helper';
import { ChaosLab, DEPLOY_LAB, dropSpyHistory } from '../helpers/chaos-lab';
import { baselineResources, heapUsedAfterGc, settleTo } from '../helpers/process-resources';

const PRODUCERS = DEPLOY_LAB.producers;
const CYCLES = 100;
const FULL_EVERY = 10;

/** The subscriptions the server node's hub holds (private: read here only to count their listeners). */
function heldSubscriptions(): Array<{ subscription: NodeJS.EventEmitter }> {
  return [...(serverHub() as unknown as { held: Map<string, { subscription: NodeJS.EventEmitter }> }).held.values()];
}

describe('resource hygiene over 100 deploy/redeploy cycles', function () {
  this.timeout(120_000);
  let lab: ChaosLab | null = null;

  after(async () => {
    await lab?.close();
  });

  it('leaks no socket, timer, listener, subscription or heap, and keeps the view right', async () => {
    const before = await baselineResources();
    lab = await ChaosLab.start(DEPLOY_LAB);
    // Readiness is waited for by arrival after a mark, not by time: the warm-up begins in the very millisecond
    // the first deployment's 'ready' may be stamped with, and a wait from that millisecond once resolved on it,
    // before the warm-up's client had logged in; that login then fell into the count below (11 instead of 10).
    const warmUp = lab.mark();
    await lab.redeploy('full'); // warm up: the first deploy loads code and caches once
    await lab.whenReady(warmUp);
    dropSpyHistory();
    const running = await baselineResources();
    const heapBefore = heapUsedAfterGc();
    const flowsStartedListeners = helper._events.listenerCount('flows:started');
    const loginsBefore = lab.sim.control.stats().logins;
    assert.equal(loginsBefore, 2, 'the first deployment and the warm-up log in once each, before the cycles');
    const cyclesFrom = lab.mark();

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const full = cycle % FULL_EVERY === 0;
      const deployed = lab.mark();
      await lab.redeploy(full ? 'full' : 'nodes');
      if (full) await lab.whenReady(deployed);
      if (cycle % 25 === 0) dropSpyHistory();
    }

    // The server's view: one socket, one subscription per producer, nothing duplicated.
    const stats = lab.sim.control.stats();
    assert.equal(stats.users[USER]?.sockets, 1);
    assert.equal(stats.openSockets, 1);
    assert.deepEqual([...(stats.users[USER]?.subscriptions ?? [])].sort(), [...PRODUCERS].sort());
    assert.equal(stats.duplicateSubscriptions, 0);
    assert.equal(stats.duplicateSockets, 0);
    // A 'nodes' deploy costs no login; each full deploy exactly one. A reconnect keeps its token (it logs in
    // again only after a refused or expired one), so a surplus would mean a client too many or a lost token;
    // the other control events are named as clues.
    const events = lab.controlSince(cyclesFrom, ['subscribed', 'connected', 'ready', 'pumpupComplete']);
    assert.equal(
      stats.logins - loginsBefore,
      CYCLES / FULL_EVERY,
      `logins; other control events: ${events.join('; ')}`,
    );

    // Listeners: the hub's on the client, the subscribe node's on each subscription, the runtime's own.
    const client = serverHub().rest();
    assert.equal(client.listenerCount('state'), 1);
    assert.equal(client.listenerCount('warning'), 0, 'warnings reach the log through the logger, once');
    const held = heldSubscriptions();
    assert.equal(held.length, PRODUCERS.length);
    for (const { subscription } of held) {
      for (const event of ['message', 'pumpupComplete', 'state'])
        assert.equal(subscription.listenerCount(event), 1, `${event} listeners`);
    }
    assert.equal(helper._events.listenerCount('flows:started'), flowsStartedListeners);

    // The process: no more sockets or timers than while the first deployment ran; the heap stable.
    assert.deepEqual(await settleTo(running), {}, 'resources grew over the cycles');
    dropSpyHistory();
    const growth = heapUsedAfterGc() - heapBefore;
    assert.ok(growth < 8 * 1024 * 1024, `heap grew by ${(growth / 1048576).toFixed(1)} MiB over ${CYCLES} cycles`);

    const view = await lab.checkpoint();
    assert.equal(view.mismatches, 0, view.samples.join('; '));
    assert.equal(lab.caught.length, 0);

    await lab.close();
    lab = null;
    assert.deepEqual(await settleTo(before), {}, 'resources left open after the flow was unloaded');
    console.log(
      `      hygiene: ${CYCLES} deploys, heap ${growth >= 0 ? '+' : ''}${(growth / 1024).toFixed(0)} KiB, ${view.entities} entities compared, 0 mismatches`,
    );
  });
});
