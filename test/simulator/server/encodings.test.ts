import assert from 'node:assert/strict';
import type { RunningSimulator, SimulatorOptions } from '../../../simulator/options';
import { AGENT, isData, RawClient, Rest, startTestSimulator, type Frame } from '../../helpers/sim-wire';

const GUIDE_MARKER = '{"dimension":{},"realtimeData":{},"pumpup":true,"pumpupComplete":true,"heartbeat":false}';
const LONG_ONLY = ['pumpupIdentifier', 'extra', 'sourceId', 'producerId', 'eventAction'];

/** Streams the Agent producer under the given options; returns the frames of pumpup + 400 events. */
async function capture(
  options: SimulatorOptions,
): Promise<{ frames: Frame[]; sim: RunningSimulator; close: () => Promise<void> }> {
  const sim = await startTestSimulator(options);
  const rest = new Rest(sim);
  const token = await rest.login('supervisor1');
  const response = await rest.subscribe(token, 'supervisor1', AGENT);
  const client = await RawClient.connect(response.endpoint, sim.caPem);
  client.redirect(response, token);
  await client.waitForPumpupComplete();
  sim.control.trigger(400);
  await client.sync();
  return {
    frames: client.frames.filter(isData),
    sim,
    close: async () => {
      await client.close();
      await rest.close();
      await sim.close();
    },
  };
}

const isString = (frame: Frame) => typeof frame.json!['dimension'] === 'string';
const isLong = (frame: Frame) => 'producerId' in frame.json!;

describe('simulator encodings and envelopes', () => {
  it("object encoding, short envelope: the guide's short messages, flags occasionally missing", async () => {
    const { frames, close } = await capture({ encoding: 'object', envelope: 'short' });
    try {
      assert.ok(frames.every((f) => !isString(f)));
      for (const frame of frames)
        for (const field of LONG_ONLY) assert.ok(!(field in frame.json!), `${field} in the short form`);
      const marker = frames.find((f) => f.json!['pumpupComplete'] === true)!;
      assert.equal(marker.text, GUIDE_MARKER);
      const deltas = frames.slice(frames.indexOf(marker) + 1);
      assert.ok(deltas.length >= 8);
      assert.ok(
        deltas.some((f) => !('pumpupComplete' in f.json!)),
        'some deltas lack pumpupComplete',
      );
      assert.ok(
        deltas.some((f) => !('heartbeat' in f.json!)),
        'some deltas lack heartbeat',
      );
      assert.ok(deltas.every((f) => f.json!['pumpup'] === false));
      // pumpup rows keep every flag
      for (const row of frames.slice(0, frames.indexOf(marker))) {
        assert.deepEqual(
          [row.json!['pumpup'], row.json!['pumpupComplete'], row.json!['heartbeat']],
          [true, false, false],
        );
      }
    } finally {
      await close();
    }
  });

  it("string encoding, long envelope: dimension and realtimeData as JSON strings, as in the guide's samples", async () => {
    const { frames, close } = await capture({ encoding: 'string', envelope: 'long' });
    try {
      const rows = frames.filter((f) => f.json!['pumpupComplete'] !== true);
      assert.ok(rows.every(isString));
      assert.ok(frames.every(isLong));
      const sample = rows.at(-1)!;
      assert.equal(
        typeof (JSON.parse(sample.json!['dimension'] as string) as Record<string, unknown>)['agentId'],
        'string',
      );
      assert.equal(typeof JSON.parse(sample.json!['realtimeData'] as string), 'object');
      assert.deepEqual(Object.keys(sample.json!), [
        'dimension',
        'realtimeData',
        'pumpupIdentifier',
        'pumpup',
        'pumpupComplete',
        'heartbeat',
        'extra',
        'sourceId',
        'producerId',
        'eventAction',
      ]);
    } finally {
      await close();
    }
  });

  it('mixed encoding and envelope: both forms on the same socket', async () => {
    const { frames, close } = await capture({ encoding: 'mixed', envelope: 'mixed' });
    try {
      const rows = frames.filter((f) => f.json!['pumpupComplete'] !== true);
      assert.ok(rows.some(isString) && rows.some((f) => !isString(f)));
      assert.ok(frames.some(isLong) && frames.some((f) => !isLong(f)));
    } finally {
      await close();
    }
  });

  it('sends a DELETE with eventAction even in the short envelope (the short form cannot say it)', async () => {
    const { sim, close } = await capture({ encoding: 'object', envelope: 'short' });
    const rest = new Rest(sim);
    try {
      const user = sim.users.find((u) => u.username === 'supervisor2')!;
      const token = await rest.login(user.username);
      const response = await rest.subscribe(token, user.username, AGENT);
      const client = await RawClient.connect(response.endpoint, sim.caPem);
      try {
        client.redirect(response, token);
        await client.waitForPumpupComplete();
        const agentId = sim.control.truth(user.username, AGENT)[AGENT]![0]!.dimension['agentId']!;
        const removal = user.groups
          .map((g) => sim.control.removeAgentFromGroup(agentId, g))
          .find((r) => r !== undefined);
        assert.ok(removal, "the agent was in one of the user's groups");
        const del = await client.waitFor((f) => f.json?.['eventAction'] === 'DELETE');
        assert.deepEqual(del.json!['dimension'], { agentId });
        assert.deepEqual(del.json!['realtimeData'], {});
        assert.equal(del.json!['producerId'], AGENT);
      } finally {
        await client.close();
      }
    } finally {
      await rest.close();
      await close();
    }
  });
});
