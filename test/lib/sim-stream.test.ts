// Streaming against the real simulator: several producers over one socket, both encodings and
// envelopes, heartbeats, the licence limit, deletes, the three-stage unsubscribe and close().
import assert from 'node:assert/strict';
import type { AnalyticsMessage, StateEvent, Subscription } from '../../lib/index';
import type { OpenInterfaceClient } from '../../lib/client/client';
import { FrameTemplates } from '../../lib/frames/frame-template';
import type { SimulatorOptions } from '../../simulator/index';
import { Lab } from '../helpers/sim-clients';
import { differences, normalizedTruth, schemasOf, View } from '../helpers/client-view';
import { sleep, until, waitForEvent } from '../helpers/wait';

const FIVE = ['Agent_SoD_3.5', 'AgentByAccount_SoD_3.5', 'AgentGroup_SoD_3.5', 'VDN_SoD_3.5', 'ContactDetail_CDR_3.5'];

async function ready(client: OpenInterfaceClient, timeoutMs = 10_000): Promise<void> {
  if (client.state === 'ready') return;
  await waitForEvent<StateEvent>(client, 'state', (s) => s.state === 'ready', timeoutMs);
}

/** Subscribes, lets traffic flow, pauses it, and compares the accumulated view with the truth. */
async function converges(lab: Lab, client: OpenInterfaceClient, producers: string[]): Promise<View> {
  const view = new View();
  for (const p of producers) view.attach(client.subscribe(p));
  await ready(client);
  await sleep(300);
  lab.sim.control.setRate(0);
  const schemas = schemasOf(await client.rest.producers());
  let diffs: string[] = [];
  await until(
    `view = truth (${diffs.join('; ')})`,
    () => {
      diffs = differences(view.records, normalizedTruth(lab.sim.control.truth('supervisor1'), schemas));
      return diffs.length === 0;
    },
    5_000,
    50,
  ).catch((e: Error) => assert.fail(`${e.message}: ${diffs.join('; ')}`));
  return view;
}

describe('lib client streaming from the simulator', function () {
  this.timeout(30_000);
  let lab: Lab;
  const start = async (options: SimulatorOptions = {}): Promise<void> => {
    lab = new Lab();
    await lab.start(options);
  };
  afterEach(async () => {
    await lab.closeAll();
  });

  it('carries five producers over ONE socket and reaches ready', async () => {
    await start();
    const client = lab.client();
    const subs = FIVE.map((p) => client.subscribe(p));
    await ready(client);
    assert.ok(subs.every((s) => s.state === 'ready'));
    const stats = lab.sim.control.stats();
    assert.equal(stats.users.supervisor1?.sockets, 1);
    assert.equal(stats.users.supervisor1?.streams, 5);
    assert.equal(stats.openSockets, 1);
    assert.deepEqual([...(stats.users.supervisor1?.subscriptions ?? [])].sort(), [...FIVE].sort());
    assert.equal(client.stats.malformedFrames, 0);
  });

  for (const [encoding, envelope] of [
    ['object', 'long'],
    ['string', 'short'],
    ['mixed', 'mixed'],
  ] as const) {
    it(`accumulates a view equal to the ground truth (encoding ${encoding}, envelope ${envelope})`, async () => {
      await start({ encoding, envelope, rate: 100 });
      const client = lab.client();
      // In the short envelope AgentGroup and RoutingServiceGroup cannot be told apart: subscribe one.
      const view = await converges(lab, client, FIVE);
      assert.ok(client.stats.messagesDelivered > 30);
      assert.equal(client.stats.unroutableMessages, 0);
      assert.equal(client.stats.malformedFrames, 0);
      assert.equal(view.pumpups, 5);
    });
  }

  it('reads the rows the feed repeats with frame templates, and the view still equals the ground truth', async () => {
    // Counts what the client's templates read (frame-template.ts), the real ones in the real client's path.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, and called with its object
    const read = FrameTemplates.prototype.read;
    let templated = 0;
    FrameTemplates.prototype.read = function (this: FrameTemplates, bytes: Buffer) {
      const root = read.call(this, bytes);
      if (root !== null) templated++;
      return root;
    };
    try {
      await start({ encoding: 'object', envelope: 'long', rate: 200 });
      const client = lab.client();
      await converges(lab, client, ['Agent_SoD_3.5']);
      assert.ok(templated > 10, `frames read by a template: ${templated}`);
      assert.equal(client.stats.malformedFrames, 0);
    } finally {
      FrameTemplates.prototype.read = read;
    }
  });

  it('normalizes values: timestamps to epoch ms, UNKNOWN to null, numeric identifiers stay strings', async () => {
    await start({ encoding: 'string', envelope: 'short', rate: 0 });
    const client = lab.client();
    const rows: AnalyticsMessage[] = [];
    client.subscribe('Agent_SoD_3.5').on('message', (m: AnalyticsMessage) => rows.push(m));
    await ready(client);
    const all = rows.flatMap((r) => Object.entries(r.measures));
    assert.ok(all.length > 100);
    assert.ok(!all.some(([, v]) => v === 'UNKNOWN'), 'no UNKNOWN left');
    assert.ok(!all.some(([, v]) => typeof v === 'string' && /^\d{20}$/.test(v)), 'no 20-digit timestamps left');
    assert.ok(all.some(([k, v]) => /Timestamp|TimeStamp/.test(k) && typeof v === 'number' && v > 1.4e12));
    const reasons = all.filter(([k]) => k === 'nrReasonCode').map(([, v]) => v);
    assert.ok(
      reasons.every((v) => v === null || typeof v === 'string'),
      'nrReasonCode stays a string',
    );
    const raw = lab.client({ normalize: false });
    const rawRows: AnalyticsMessage[] = [];
    raw.subscribe('Agent_SoD_3.5').on('message', (m: AnalyticsMessage) => rawRows.push(m));
    await ready(raw);
    assert.ok(
      rawRows.some((r) => Object.values(r.measures).some((v) => typeof v === 'string' && /^\d{20}$/.test(v))),
      'normalize: false keeps wire values',
    );
  });

  it('echoes the server heartbeat so the server keeps the socket (and counts heartbeats)', async () => {
    await start({ clientHeartbeatTimeoutMs: 400 });
    const client = lab.client({ heartbeatIntervalMs: 100 });
    client.subscribe('VDN_SoD_3.5');
    await ready(client);
    await sleep(800);
    assert.equal(client.state, 'ready');
    assert.equal(client.stats.reconnects, 0, 'the server never closed the socket');
    assert.ok(client.stats.heartbeatsReceived >= 6, String(client.stats.heartbeatsReceived));
    assert.ok(lab.sim.control.stats().heartbeatsReceived >= 6, 'the server got echoes and client heartbeats');
  });

  it('fails the sixth subscription with the licence message and leaves the other five alone', async () => {
    await start();
    const client = lab.client();
    const subs = FIVE.map((p) => client.subscribe(p));
    await ready(client);
    const failed = waitForEvent<string>(client, 'warning', (w) => /licence/.test(w));
    const sixth = client.subscribe('Site_SoD_3.5');
    await failed;
    assert.equal(sixth.state, 'failed');
    assert.match((sixth as Subscription & { lastReason?: string }).lastReason ?? '', /HTTP 403.*licence limit reached/);
    assert.ok(subs.every((s) => s.state === 'ready'));
    assert.equal(client.state, 'ready');
    assert.equal(lab.sim.control.stats().users.supervisor1?.streams, 5);
    // Freeing a slot and asking again works.
    await client.unsubscribe(subs[0] as Subscription);
    await sixth.requestPumpup();
    await until('the sixth subscription to become ready', () => sixth.state === 'ready');
  });

  it('delivers a delete when an agent leaves the supervisor’s groups', async () => {
    await start({ rate: 0 });
    const client = lab.client({ username: 'supervisor2', password: 'password2' });
    const view = new View();
    const sub = client.subscribe('Agent_SoD_3.5');
    view.attach(sub);
    const deletes: AnalyticsMessage[] = [];
    sub.on('message', (m: AnalyticsMessage) => m.kind === 'delete' && deletes.push(m));
    await ready(client);
    const user = lab.sim.users.find((u) => u.username === 'supervisor2');
    assert.ok(user && user.groups.length > 0);
    const group = user.groups[0] as string;
    const members = (await client.rest.dimdata('GroupMember')) as Array<Record<string, unknown>>;
    const member = members.find((m) => String(m.groupId) === group);
    assert.ok(member, 'a member of the group');
    const removal = lab.sim.control.removeAgentFromGroup(String(member.agentId), group);
    assert.ok(removal && removal.deletesSent > 0);
    await until('the delete', () => deletes.length > 0);
    assert.equal(deletes[0]?.dimension.agentId, String(member.agentId));
    assert.equal(deletes[0]?.eventAction, 'DELETE');
    assert.ok(!view.records.get('Agent_SoD_3.5')?.has(`Agent_SoD_3.5/agentId=${String(member.agentId)}`));
  });

  it('unsubscribes in three stages and close() leaves nothing on the server', async () => {
    await start();
    const client = lab.client();
    const a = client.subscribe('Agent_SoD_3.5');
    client.subscribe('VDN_SoD_3.5');
    client.subscribe('AgentGroup_SoD_3.5');
    await ready(client);
    await client.unsubscribe(a);
    assert.equal(a.state, 'closed');
    let stats = lab.sim.control.stats();
    assert.deepEqual([...(stats.users.supervisor1?.subscriptions ?? [])].sort(), ['AgentGroup_SoD_3.5', 'VDN_SoD_3.5']);
    assert.equal(stats.users.supervisor1?.streams, 2);
    assert.equal(stats.openSockets, 1);
    await client.close();
    assert.equal(client.state, 'closed');
    await until('the socket to close', () => lab.sim.control.stats().openSockets === 0);
    stats = lab.sim.control.stats();
    assert.deepEqual(stats.users.supervisor1?.subscriptions, []);
    assert.equal(stats.activeSubscriptions, 0);
    assert.equal(stats.duplicateSubscriptions, 0);
    assert.equal(stats.duplicateSockets, 0);
  });

  it('shares one server subscription between two Subscription objects of the same producer', async () => {
    await start();
    const client = lab.client();
    const one = client.subscribe('VDN_SoD_3.5');
    await ready(client);
    // The newcomer re-POSTs the user's only subscription: the server replaces it, never duplicates it.
    const two = client.subscribe('VDN_SoD_3.5');
    await waitForEvent(two, 'pumpupComplete');
    const held = (): string[] => [...(lab.sim.control.stats().users.supervisor1?.subscriptions ?? [])].sort();
    assert.deepEqual(held(), ['VDN_SoD_3.5'], 'one server subscription per producer');
    await client.unsubscribe(one);
    assert.deepEqual(held(), ['VDN_SoD_3.5'], 'still held for the second object');
    await client.unsubscribe(two);
    assert.deepEqual(held(), []);
    assert.equal(lab.sim.control.stats().duplicateSubscriptions, 0);
  });

  it('gives every Subscription object of a producer its own message objects, and a throwing listener starves no one', async () => {
    await start();
    const failures: string[] = [];
    const ignore = (): void => undefined;
    const client = lab.client({
      logger: { error: (m) => failures.push(m), warn: ignore, info: ignore, debug: ignore, trace: ignore },
    });
    const one = client.subscribe('Agent_SoD_3.5');
    const two = client.subscribe('Agent_SoD_3.5');
    const seenByTwo: AnalyticsMessage[] = [];
    one.on('message', (m: AnalyticsMessage) => {
      m.measures.tampered = true;
      m.dimension.agentId = 'tampered';
      throw new Error('a buggy listener');
    });
    two.on('message', (m: AnalyticsMessage) => seenByTwo.push(m));
    await until('messages for the second object', () => seenByTwo.length >= 5);
    for (const m of seenByTwo) {
      assert.equal(m.measures.tampered, undefined, 'the first listener changed only its own copy');
      assert.notEqual(m.dimension.agentId, 'tampered');
    }
    assert.ok(
      failures.some((f) => f.includes('a buggy listener')),
      'the listener failure is logged',
    );
  });
});
