// reconfigure() to another server or account, against two real simulators: the subscriptions move, and
// the former server is left holding none of them (each counts against its licence until deleted there).
import assert from 'node:assert/strict';
import type { StateEvent } from '../../../lib/index';
import type { OpenInterfaceClient } from '../../../lib/client/client';
import { startSimulator, type RunningSimulator } from '../../../simulator/index';
import { Lab } from '../../helpers/sim-clients';
import { until, waitForEvent } from '../../helpers/wait';

const PRODUCERS = ['Agent_SoD_3.5', 'VDN_SoD_3.5'];
const USER = 'supervisor1';

describe('lib client: reconfigure to another server or account', function () {
  this.timeout(30_000);
  let lab: Lab;
  let a: RunningSimulator;
  let b: RunningSimulator;

  beforeEach(async () => {
    lab = new Lab();
    a = await lab.start({ agents: 10, rate: 0 });
    b = await startSimulator({ seed: 8, agents: 10, rate: 0 });
  });
  afterEach(async () => {
    await lab.closeAll(); // its clients and simulator a
    await b.close();
  });

  /** A client of simulator a that trusts both simulators' CAs, subscribed to PRODUCERS. */
  function connect(): OpenInterfaceClient {
    const client = lab.client({ tls: { ca: [a.caPem!, b.caPem!] } });
    for (const p of PRODUCERS) client.subscribe(p);
    return client;
  }
  const held = (sim: RunningSimulator, user = USER): string[] =>
    [...(sim.control.stats().users[user]?.subscriptions ?? [])].sort();
  const ready = (c: OpenInterfaceClient): Promise<StateEvent> =>
    waitForEvent<StateEvent>(c, 'state', (s) => s.state === 'ready', 15_000);

  it('a new url: the streams come from the new server, and the old one deletes every subscription', async () => {
    const c = connect();
    await ready(c);
    assert.deepEqual(held(a), PRODUCERS);
    const again = ready(c);
    c.reconfigure({ url: b.restUrl });
    await again;
    assert.deepEqual(held(b), PRODUCERS);
    await until('the former server holds nothing', () => held(a).length === 0, 10_000);
    assert.equal(a.control.stats().users[USER]?.sockets ?? 0, 0, 'the former socket is closed');
  });

  it('another account on the same server: the former account holds nothing either', async () => {
    const c = connect();
    await ready(c);
    const again = ready(c);
    c.reconfigure({ username: 'supervisor2', password: 'password2' });
    await again;
    assert.deepEqual(held(a, 'supervisor2'), PRODUCERS);
    await until('the former account holds nothing', () => held(a).length === 0, 10_000);
  });

  it('a new password alone keeps the account: its subscriptions stay, subscribed again', async () => {
    const c = connect();
    await ready(c);
    const again = ready(c);
    c.reconfigure({ password: 'password1' });
    await again;
    assert.deepEqual(held(a), PRODUCERS);
    assert.equal(a.control.stats().duplicateSubscriptions, 0);
  });

  it('a new password the server refuses: the former token deletes the subscriptions, which nothing else could', async () => {
    const c = connect();
    await ready(c);
    assert.deepEqual(held(a), PRODUCERS);
    const refused = waitForEvent<StateEvent>(c, 'state', (s) => s.state === 'auth-failed', 15_000);
    c.reconfigure({ password: 'wrong' });
    await refused;
    await until('the server holds nothing', () => held(a).length === 0, 10_000);
    // The right password again: subscribed anew, with a pumpup.
    const again = ready(c);
    c.reconfigure({ password: 'password1' });
    await again;
    assert.deepEqual(held(a), PRODUCERS);
  });

  it('closed before a new password got its verdict: the former token deletes the subscriptions', async () => {
    const c = connect();
    await ready(c);
    c.reconfigure({ password: 'wrong' });
    await c.close();
    assert.deepEqual(held(a), []);
  });
});
