// The short chaos soak (CI): simulator with steady traffic → server → five subscribe nodes → state,
// every kind of fault once in a seeded random order at random moments (dropped and stalled sockets,
// refused connections, 503 on login, 500 on subscribe, an expired token, revoked tokens, a server
// restart with a new signing key, a delete, a burst of 10,000 rows), with a full redeploy (a new client
// whose backoff starts afresh) after every two faults. Each fault must show as a control
// event and a status, the flow must recover, the state node's view must equal the ground truth at
// every checkpoint, the server must never hold a duplicate subscription or socket, and afterwards
// nothing may stay open. The long version is bench/soak.ts (npm run soak).
import assert from 'node:assert/strict';
import { ChaosLab, faultSchedule, type ChaosReport } from '../helpers/chaos-lab';
import { baselineResources, settleTo } from '../helpers/process-resources';
import { USER, serverHub } from '../helpers/node-red-test-helper';

const SEED = 20261124;

describe('chaos soak through the Node-RED nodes (short CI version)', function () {
  this.timeout(150_000);
  let lab: ChaosLab | null = null;
  let report: ChaosReport;

  after(async () => {
    await lab?.close();
  });

  it('survives every kind of fault with a view equal to the ground truth', async () => {
    const baseline = await baselineResources();
    lab = await ChaosLab.start({
      seed: SEED,
      agents: 40,
      rate: 40,
      tokenLifetimeSec: 4,
      gapMs: [50, 500],
      checkpointEvery: 3,
      recoveryTimeoutMs: 45_000,
    });
    const schedule = faultSchedule(SEED, 0, 2);
    report = await lab.run(schedule);

    assert.equal(report.faults.length, schedule.length);
    assert.equal(report.mismatches, 0, `view differs from the ground truth: ${report.mismatchSamples.join('; ')}`);
    assert.ok(report.checkpoints >= 3, `checkpoints ${report.checkpoints}`);
    assert.ok(report.entitiesCompared > 100, `entities compared ${report.entitiesCompared}`);
    assert.equal(
      lab.caught.length,
      0,
      `errors reached the flow: ${JSON.stringify(lab.caught.map((m): unknown => m.error?.message))}`,
    );

    // A generic trouble text, or the short cause that replaces it when known (lib/client/cause.ts).
    const disconnected =
      /disconnected|stale|closed by server|no heartbeat|server error|HTTP \d|timeout|login refused|bad token|^E[A-Z]+$/;
    for (const fault of report.faults) {
      if (!ChaosLab.disconnects(fault.kind)) continue;
      assert.ok(
        fault.controlEvents.some((e) => ['disconnected', 'stale', 'auth-failed'].includes(e)),
        `${fault.kind}: no trouble control event (${fault.controlEvents.join(',')})`,
      );
      assert.ok(fault.controlEvents.includes('ready'), `${fault.kind}: no ready control event`);
      assert.ok(
        fault.statuses.some((s) => disconnected.test(s)),
        `${fault.kind}: no trouble status (${fault.statuses.join(' | ')})`,
      );
    }

    const stats = report.stats;
    assert.equal(stats.duplicateSubscriptions, 0, 'a subscription was duplicated on the server');
    assert.equal(stats.duplicateSockets, 0, 'a second socket streamed at the same time');
    assert.equal(stats.users[USER]?.sockets, 1);
    assert.equal(stats.users[USER]?.streams, lab.producers.length);
    assert.deepEqual([...(stats.users[USER]?.subscriptions ?? [])].sort(), [...lab.producers].sort());
    // The simulator saw every fault happen.
    assert.equal(stats.faults.restarts, 1, JSON.stringify(stats.faults));
    assert.ok(
      stats.faults.stalls >= 1 &&
        stats.faults.refusedConnections >= 1 &&
        stats.faults.revocations >= 2 &&
        stats.faults.httpErrors >= 4,
      JSON.stringify(stats.faults),
    );
    assert.ok(stats.deletesSent > 0);

    // No leak: the client's listeners are only the hub's, and after unload + close nothing stays open.
    const hub = serverHub();
    const client = hub.rest();
    assert.equal(client.listenerCount('state'), 1);
    assert.equal(client.listenerCount('warning'), 0, 'warnings reach the log through the logger, once');
    await lab.close();
    lab = null;
    const leaked = await settleTo(baseline);
    assert.deepEqual(leaked, {}, `resources left open after the soak: ${JSON.stringify(leaked)}`);

    const times = report.faults.map((f) => `${f.kind}=${f.recoveryMs}`).join(' ');
    console.log(
      `      chaos: ${report.faults.length} faults survived, recovery median ${report.medianRecoveryMs} ms max ${report.maxRecoveryMs} ms; ` +
        `${report.checkpoints} checkpoints, ${report.entitiesCompared} entities compared, ${report.mismatches} mismatches\n      ${times}`,
    );
  });
});
