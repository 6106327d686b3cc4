import assert from 'node:assert/strict';
import type { Entity } from '../../../simulator/model/contract';
import type { AgentRemoval, RunningSimulator, SimulatorStats } from '../../../simulator/options';
import { AGENT, closeSimulatorWithRest, RawClient, type Rest, startSimulatorWithRest } from '../../helpers/sim-wire';

/** An answer of the control API; `json` is typed as the caller expects it (`control<T>`), unchecked. */
interface ControlReply<T> {
  status: number;
  json: T;
}

/** The control API's error body (400 and 404). */
interface ControlError {
  error: string;
}

describe('simulator control API over HTTP', () => {
  let sim: RunningSimulator;
  let rest: Rest;

  async function control<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ControlReply<T>> {
    const response = await fetch(`${sim.controlUrl}${path}`, {
      method,
      ...(body !== undefined
        ? {
            body: typeof body === 'string' ? body : JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          }
        : {}),
    });
    return { status: response.status, json: (await response.json()) as T };
  }

  before(async () => {
    ({ sim, rest } = await startSimulatorWithRest());
  });
  after(() => closeSimulatorWithRest({ sim, rest }));

  it('listens on loopback and lists its endpoints', async () => {
    assert.match(sim.controlUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const index = await control<{ endpoints: string[] }>('GET', '/');
    assert.equal(index.status, 200);
    assert.ok(index.json.endpoints.includes('POST /faults/http'));
  });

  it('GET /stats reports subscriptions, sockets, frames, heartbeats, logins and faults', async () => {
    const token = await rest.login('supervisor1');
    const response = await rest.subscribe(token, 'supervisor1', AGENT);
    const client = await RawClient.connect(response.endpoint, sim.caPem);
    try {
      client.redirect(response, token);
      await client.waitForPumpupComplete();
      await client.sync();
      await client.sync();
      const { status, json } = await control<SimulatorStats>('GET', '/stats');
      assert.equal(status, 200);
      assert.deepEqual(json.users.supervisor1, { subscriptions: [AGENT], streams: 1, sockets: 1, logins: 1 });
      assert.equal(json.activeSubscriptions, 1);
      assert.equal(json.openSockets, 1);
      assert.ok(json.framesSent >= client.frames.length - 2);
      assert.ok(json.heartbeatsSent >= 2);
      assert.ok(json.heartbeatsReceived >= 1);
      assert.equal(json.duplicateSubscriptions, 0);
      assert.equal(json.duplicateSockets, 0);
      assert.equal(json.logins, 1);
      assert.equal(json.rate, 0);

      // Operations, each through HTTP.
      assert.deepEqual((await control('POST', '/rate', { rate: 'max' })).json, { rate: 'max' });
      assert.deepEqual((await control('POST', '/rate', { rate: 0 })).json, { rate: 0 });
      const triggered = await control<{ deltas: number }>('POST', '/trigger', { count: 50 });
      assert.ok(triggered.json.deltas > 0);
      assert.equal((await control('POST', '/faults/http', { endpoint: 'sources', status: 503, count: 1 })).status, 200);
      assert.equal((await rest.call('GET', '/sources', { token })).status, 503);
      assert.equal((await control('POST', '/faults/refuse', { ms: 0 })).status, 200);
      assert.deepEqual((await control('POST', '/sockets/stall', { user: 'supervisor1' })).json, { stalled: 1 });
      assert.deepEqual((await control('POST', '/sockets/drop', {})).json, { dropped: 1 });
      await client.closed;
      const truth = await control<Record<string, Entity[]>>('GET', `/truth?user=supervisor1&producer=${AGENT}`);
      assert.equal(truth.json[AGENT]!.length, sim.model.entities(AGENT, 'supervisor1').length);
      const agentId = sim.control.truth('supervisor2', AGENT)[AGENT]![0]!.dimension['agentId']!;
      let removed: ControlReply<AgentRemoval> | undefined;
      let groupId = '';
      for (groupId of sim.users.find((u) => u.username === 'supervisor2')!.groups) {
        removed = await control<AgentRemoval>('POST', '/groups/remove-agent', { agentId, groupId });
        if (removed.status === 200) break;
        assert.equal(removed.status, 404); // not a group of that agent
      }
      assert.equal(removed!.status, 200);
      assert.ok(removed!.json.lostBy.includes('supervisor2'));
      assert.equal(typeof removed!.json.deletesSent, 'number');
      assert.deepEqual((await control('POST', '/groups/add-agent', { agentId, groupId })).json, { added: true });
      assert.equal((await control('POST', '/groups/remove-agent', { agentId: 'nobody', groupId })).status, 404);
      assert.ok((await control<{ revoked: number }>('POST', '/tokens/revoke')).json.revoked >= 1);
      assert.equal((await rest.call('GET', '/sources', { token })).status, 401);
      assert.deepEqual((await control('POST', '/restart')).json, { restarted: true });
      const after = (await control<SimulatorStats>('GET', '/stats')).json;
      assert.deepEqual(after.faults, {
        drops: 1,
        stalls: 1,
        refusedConnections: 0,
        httpErrors: 1,
        revocations: 1,
        restarts: 1,
      });
      assert.equal(after.faultsInjected, 5);
      assert.equal(after.activeSubscriptions, 0);
    } finally {
      await client.close();
    }
  });

  it('answers 400 to bad bodies and arguments, 404 to unknown endpoints, and keeps running', async () => {
    const cases: Array<[string, unknown]> = [
      ['/rate', { rate: -1 }],
      ['/rate', { rate: 'fast' }],
      ['/trigger', { count: 1.5 }],
      ['/trigger', {}],
      ['/faults/http', { endpoint: '__proto__', status: 500, count: 1 }],
      ['/faults/http', { endpoint: 'login', status: 404, count: 1 }],
      ['/faults/refuse', { ms: 'soon' }],
      ['/sockets/drop', { user: 42 }],
      ['/groups/remove-agent', { agentId: '' }],
      ['/trigger', '{not json'],
      ['/trigger', '[1]'],
    ];
    for (const [path, body] of cases) {
      const reply = await control<ControlError>('POST', path, body);
      assert.equal(reply.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.equal(typeof reply.json.error, 'string');
    }
    assert.equal((await control('GET', '/truth')).status, 400);
    assert.equal((await control('GET', '/truth?user=supervisor1&producer=Nope')).status, 400);
    assert.equal((await control('GET', '/nope')).status, 404);
    assert.equal((await control('GET', '/__proto__')).status, 404);
    assert.equal((await control('POST', '/stats')).status, 404);
    assert.equal((await control('GET', '/stats')).status, 200);
  });
});
