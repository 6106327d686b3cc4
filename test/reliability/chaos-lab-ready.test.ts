// The readiness wait of the chaos lab (test/helpers/chaos-lab.ts), which redeploy-hygiene and the chaos soak rely
// on: a 'ready' received before the wait's mark never counts for the deployment after it, whatever its stamp.
// Waited for by time (a 'ready' stamped at or after `since`), the warm-up of redeploy-hygiene.test.ts, which
// begins right after ChaosLab.start saw the first deployment's 'ready', resolved at once whenever both fell in the
// same millisecond: before the warm-up's client had logged in, so that login was counted among the cycles' (11
// instead of 10, and no other control event to explain it). Here the earlier 'ready' is stamped a minute ahead,
// so the outcome does not depend on the clock.
import assert from 'node:assert/strict';
import { ChaosLab, DEPLOY_LAB } from '../helpers/chaos-lab';
import { helper, serverHub } from '../helpers/node-red-test-helper';
import { until } from '../helpers/wait';

const PRODUCERS = DEPLOY_LAB.producers;

describe('the chaos lab waits for the deployment it started', function () {
  this.timeout(60_000);
  let lab: ChaosLab | null = null;

  after(async () => {
    await lab?.close();
  });

  it("takes no 'ready' received before its mark for the next deployment's, even one stamped later", async () => {
    const started = await ChaosLab.start(DEPLOY_LAB);
    lab = started;
    const loginsBefore = started.sim.control.stats().logins;

    // The previous deployment's 'ready', as a wait that begins in its millisecond (or earlier) sees it.
    const stamp = Date.now() + 60_000;
    const injected = started.mark();
    for (const producer of PRODUCERS)
      helper.getNode('ctl').receive({ producer, control: 'ready', payload: { state: 'ready', at: stamp } });
    await until(
      "the early 'ready' of each producer received",
      () => started.controlSince(injected).filter((e) => e.endsWith(' ready')).length === PRODUCERS.length,
    );

    const deployed = started.mark();
    await started.redeploy('full');
    const readyAt = await started.whenReady(deployed);

    assert.ok(readyAt < stamp, "the wait resolved on the 'ready' received before its mark");
    assert.equal(
      started.sim.control.stats().logins,
      loginsBefore + 1,
      "the new client's login came before its 'ready'",
    );
    assert.equal(serverHub().state, 'ready');
  });
});
