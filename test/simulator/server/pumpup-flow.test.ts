import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../../simulator/options';
import { entityKey } from '../../../lib/entity-key';
import { AGENT, isData, RawClient, Rest, startTestSimulator, StateBuilder } from '../../helpers/sim-wire';
import { sleep } from '../../helpers/wait';

describe('simulator pumpup flow control', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let rest: Rest;
  before(async () => {
    // ~17 MB of pumpup: far more than the 1 MiB high-water mark plus the kernel's socket buffers.
    sim = await startTestSimulator({ agents: 8000, encoding: 'object', envelope: 'short' });
    rest = new Rest(sim);
  });
  after(async () => {
    await rest.close();
    await sim.close();
  });

  /** Frames other than heartbeats (each heartbeat is a JSON frame plus a '--heartbeat--' frame). */
  const dataFrames = () => {
    const stats = sim.control.stats();
    return stats.framesSent - 2 * stats.heartbeatsSent;
  };

  it('sends a large pumpup in chunks, waits while the client does not read, and completes when it does; deltas meanwhile follow the marker', async () => {
    const token = await rest.login('supervisor1');
    const response = await rest.subscribe(token, 'supervisor1', AGENT);
    const rows = sim.control.truth('supervisor1', AGENT)[AGENT]!.length;
    assert.equal(rows, 8000);
    const client = await RawClient.connect(response.endpoint, sim.caPem);
    try {
      client.ws.pause(); // stop reading: the server's socket buffer fills up
      const start = dataFrames();
      client.redirect(response, token);
      sim.control.setRate(3000); // live deltas while the pumpup is stuck: they must wait for the marker
      // Timers keep running while the pumpup is under way: it yields between chunks.
      const samples: number[] = [];
      for (let i = 0; i < 30; i++) {
        await sleep(20);
        samples.push(dataFrames() - start);
      }
      assert.ok(
        samples.some((sent) => sent > 0 && sent < rows),
        `a partial pumpup was observed: ${samples.join(',')}`,
      );
      const stalledAt = samples.at(-1)!;
      await sleep(200);
      assert.equal(dataFrames() - start, stalledAt, 'no more rows while the client is not reading');
      assert.ok(stalledAt < rows);
      client.ws.resume();
      const marker = await client.waitForPumpupComplete(0, 30_000);
      const markerAt = client.frames.indexOf(marker);
      const received = client.frames.slice(0, markerAt).filter(isData);
      assert.equal(received.length, rows);
      assert.ok(
        received.every((f) => f.json!['pumpup'] === true),
        'no live delta before the marker',
      );
      sim.control.setRate(0);
      // The client is still catching up: heartbeats sent before the rate dropped may be in the pipe.
      await client.syncAfter(sim.control.stats().heartbeatsSent, 30_000);
      assert.ok(client.frames.slice(markerAt).filter(isData).length > 0, 'the held-back deltas followed the marker');
      // Client state = truth: snapshot rows first, then every delta since, in order.
      const built = new StateBuilder(() => AGENT).apply(client.frames);
      const truth = sim.control.truth('supervisor1', AGENT)[AGENT]!;
      const state = built.state.get(AGENT)!;
      assert.equal(state.size, truth.length);
      for (const entity of truth)
        assert.deepEqual(state.get(entityKey(AGENT, entity.dimension)), { ...entity.realtimeData });
    } finally {
      await client.close();
    }
  });
});
