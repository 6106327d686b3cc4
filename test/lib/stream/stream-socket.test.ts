// The client against a scriptable raw HTTPS/WSS server: frames and faults the simulator never produces.
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import type { AnalyticsMessage, ClientOptions, StateEvent } from '../../../lib/index';
import type { OpenInterfaceClient } from '../../../lib/client/client';
import { rawClient, SOURCE_ID, startRawServer } from '../../helpers/raw-server';
import type { RawServer } from '../../helpers/raw-server';
import { sleep, until, waitForEvent } from '../../helpers/wait';

const frame = (o: unknown): string => JSON.stringify(o);
const pumpupComplete = '{"dimension":{},"realtimeData":{},"pumpup":true,"pumpupComplete":true,"heartbeat":false}';

describe('lib client against a raw WSS server', function () {
  this.timeout(20_000);
  let server: RawServer;
  let client: OpenInterfaceClient | null = null;

  const connect = (extra: Partial<ClientOptions> = {}): OpenInterfaceClient => {
    client = rawClient(server, extra);
    return client;
  };

  beforeEach(async () => {
    server = await startRawServer();
  });
  afterEach(async () => {
    await client?.close();
    client = null;
    await server.close();
  });

  it('sends a subscriptionRedirect with the response fields, the token and the event name', async () => {
    const c = connect();
    const socket = server.nextSocket();
    c.subscribe('Agent_SoD_3.5');
    await socket;
    const redirect = JSON.parse(await server.nextFrame((t) => t.includes('subscriptionRedirect'))) as Record<
      string,
      string
    >;
    assert.equal(redirect.eventName, 'subscriptionRedirect');
    assert.equal(redirect.producerId, 'Agent_SoD_3.5');
    assert.equal(redirect.sourceId, SOURCE_ID);
    assert.equal(redirect.guid, 'guid-1');
    assert.equal(redirect.streamType, 'SoD');
    assert.equal(redirect.version, '3.5');
    assert.equal(redirect.transport, 'websocket');
    assert.match(redirect.endpoint ?? '', /^wss:\/\/127\.0\.0\.1:\d+\/orca-streams-rest\/ws$/);
    assert.match(redirect.authorization ?? '', /^eyJ/);
    const post = server.requests.find((r) => r.method === 'POST');
    assert.ok(post);
    assert.deepEqual(JSON.parse(post.body), {
      sourceId: SOURCE_ID,
      producerId: 'Agent_SoD_3.5',
      streamType: 'SoD',
      transport: 'websocket',
      tenantId: '0',
      username: 'supervisor1',
      dimensionFilters: [],
      measureFilters: [],
    });
    assert.equal(post.query.get('tenant'), '0');
  });

  it('echoes --heartbeat-- and sends its own every interval', async () => {
    const c = connect({ heartbeatIntervalMs: 60_000 });
    const socketP = server.nextSocket();
    c.subscribe('Agent_SoD_3.5');
    const ws = await socketP;
    await server.nextFrame((t) => t.includes('subscriptionRedirect'));
    ws.send('--heartbeat--');
    await server.nextFrame((t) => t === '--heartbeat--'); // with a 60 s interval this can only be the echo
    await until('the heartbeat count', () => c.stats.heartbeatsReceived >= 1);
    await c.close();

    server.received.length = 0;
    const c2 = connect({ heartbeatIntervalMs: 50 });
    const p2 = server.nextSocket();
    c2.subscribe('Agent_SoD_3.5');
    await p2;
    await until('three client heartbeats', () => server.received.filter((t) => t === '--heartbeat--').length >= 3);
  });

  it('masks the token in the sample of a malformed frame that echoes it', async () => {
    const c = connect();
    const samples: string[] = [];
    c.on('malformed', (m: { reason: string; sample: string }) => samples.push(m.sample));
    const socketP = server.nextSocket();
    c.subscribe('Agent_SoD_3.5');
    const ws = await socketP;
    const redirect = JSON.parse(await server.nextFrame((t) => t.includes('subscriptionRedirect'))) as {
      authorization: string;
    };
    const token = redirect.authorization.replace(/^Bearer /, '');
    assert.ok(token.length > 20);
    ws.send(`{"echo":"${token}",`); // invalid JSON that quotes the token
    await until('the malformed frame', () => samples.length === 1);
    assert.ok(!(samples[0] ?? '').includes(token.slice(0, 20)), samples[0]);
    assert.match(samples[0] ?? '', /\*\*\*/);
  });

  it('counts malformed frames, reports them, keeps streaming, and never pollutes prototypes', async () => {
    const c = connect();
    const malformed: Array<{ reason: string; sample: string }> = [];
    c.on('malformed', (m: { reason: string; sample: string }) => malformed.push(m));
    const socketP = server.nextSocket();
    const sub = c.subscribe('Agent_SoD_3.5');
    const messages: AnalyticsMessage[] = [];
    sub.on('message', (m: AnalyticsMessage) => messages.push(m));
    const ws = await socketP;
    await server.nextFrame((t) => t.includes('subscriptionRedirect'));
    ws.send('{"dimension":');
    ws.send('[1,2,3]');
    ws.send(frame({ dimension: ['x'], realtimeData: {} }));
    ws.send(frame({ dimension: { agentId: 'a' }, realtimeData: 7 }));
    ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    ws.send(
      '{"dimension":{"agentId":"p","__proto__":"x"},"realtimeData":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"active":"2"},"producerId":"Agent_SoD_3.5"}',
    );
    ws.send(
      frame({
        dimension: { agentId: 'ok' },
        realtimeData: { active: '1', nrReasonCode: '0' },
        producerId: 'Agent_SoD_3.5',
      }),
    );
    await until('two good messages', () => messages.length === 2);
    assert.equal(c.stats.malformedFrames, 5);
    assert.equal(malformed.length, 5);
    assert.ok(malformed.some((m) => /binary/.test(m.reason)));
    assert.ok(malformed.some((m) => /invalid JSON/.test(m.reason)));
    const hostile = messages[0] as AnalyticsMessage;
    assert.equal(Object.getPrototypeOf(hostile.measures), null);
    assert.equal(Object.getPrototypeOf(hostile.dimension), null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const ok = messages[1] as AnalyticsMessage;
    assert.equal(ok.measures.active, 1, 'NUMBER measure converted');
    assert.equal(ok.measures.nrReasonCode, '0', 'STRING measure stays a string');
    assert.equal(ok.key, 'Agent_SoD_3.5/agentId=ok');
    assert.equal(c.state, 'connected', 'malformed frames do not break the connection');
  });

  it('treats an oversize frame as malformed and recovers on a new socket', async () => {
    const c = connect({ maxPayload: 1024 });
    const first = server.nextSocket();
    c.subscribe('Agent_SoD_3.5');
    const ws = await first;
    await server.nextFrame((t) => t.includes('subscriptionRedirect'));
    const second = server.nextSocket();
    ws.send(
      frame({ dimension: { agentId: 'a' }, realtimeData: { big: 'x'.repeat(4096) }, producerId: 'Agent_SoD_3.5' }),
    );
    await second;
    assert.equal(c.stats.malformedFrames, 1);
    await until('the re-POST', () => server.requests.filter((r) => r.method === 'POST').length === 2);
  });

  it('routes the short form by dimension keys and completes the oldest pumpup on an empty marker', async () => {
    const c = connect();
    const socketP = server.nextSocket();
    const agent = c.subscribe('Agent_SoD_3.5');
    const contact = c.subscribe('ContactDetail_CDR_3.5');
    const got: Record<string, AnalyticsMessage[]> = { agent: [], contact: [] };
    const completes: string[] = [];
    agent.on('message', (m: AnalyticsMessage) => got.agent?.push(m));
    contact.on('message', (m: AnalyticsMessage) => got.contact?.push(m));
    agent.on('pumpupComplete', () => completes.push('agent'));
    contact.on('pumpupComplete', () => completes.push('contact'));
    const ws = await socketP;
    await server.nextFrame((t) => t.includes('"ContactDetail_CDR_3.5"') && t.includes('subscriptionRedirect'));
    await until('both redirects', () => agent.state === 'subscribed' && contact.state === 'subscribed');
    ws.send(
      frame({
        dimension: { agentId: 'a1' },
        realtimeData: { active: 0 },
        pumpup: true,
        pumpupComplete: false,
        heartbeat: false,
      }),
    );
    ws.send(pumpupComplete);
    ws.send(frame({ dimension: '{"segmentid":"s1"}', realtimeData: '{"initialDisposition":"UNKNOWN"}', pumpup: true }));
    ws.send(pumpupComplete);
    await until('two pumpupComplete events', () => completes.length === 2);
    assert.deepEqual(completes, ['agent', 'contact']);
    assert.equal(got.agent?.[0]?.kind, 'pumpup');
    assert.deepEqual({ ...got.contact?.[0]?.dimension }, { segmentId: 's1' }, 'key case canonicalized');
    assert.equal(got.contact?.[0]?.measures.initialDisposition, null, 'UNKNOWN → null');
    await until('ready', () => c.state === 'ready');
    ws.send(frame({ dimension: { routingPointId: '5003' }, realtimeData: { x: 1 } }));
    await until('the unroutable count', () => c.stats.unroutableMessages === 1);
  });

  it('attributes interleaved pumpup markers of a mixed-envelope feed so every pumpup completes', async () => {
    const c = connect();
    const socketP = server.nextSocket();
    const agent = c.subscribe('Agent_SoD_3.5');
    const contact = c.subscribe('ContactDetail_CDR_3.5');
    const completes: string[] = [];
    agent.on('pumpupComplete', () => completes.push('agent'));
    contact.on('pumpupComplete', () => completes.push('contact'));
    const ws = await socketP;
    await until('both redirects', () => agent.state === 'subscribed' && contact.state === 'subscribed');
    const agentRow = frame({ dimension: { agentId: 'a1' }, realtimeData: { active: 0 }, pumpup: true });
    const contactRow = frame({
      dimension: { segmentId: 's1' },
      realtimeData: {},
      pumpup: true,
      producerId: 'ContactDetail_CDR_3.5',
    });
    // Rows interleave; the short marker follows the contact rows (it is theirs), then agent's long marker.
    ws.send(agentRow);
    ws.send(contactRow);
    ws.send(pumpupComplete);
    ws.send(
      frame({ dimension: {}, realtimeData: {}, pumpup: true, pumpupComplete: true, producerId: 'Agent_SoD_3.5' }),
    );
    await until('both pumpups complete', () => completes.length === 2);
    assert.deepEqual(completes, ['contact', 'agent']);
    await until('ready', () => c.state === 'ready');
    // Again, with the short marker taken by the wrong pumpup: the named one's long marker ends the other.
    completes.length = 0;
    await Promise.all([agent.requestPumpup(), contact.requestPumpup()]);
    await until('both redirects again', () => agent.state === 'subscribed' && contact.state === 'subscribed');
    ws.send(contactRow);
    ws.send(agentRow);
    ws.send(pumpupComplete); // attributed to agent (its row came last), though the server meant contact
    ws.send(
      frame({ dimension: {}, realtimeData: {}, pumpup: true, pumpupComplete: true, producerId: 'Agent_SoD_3.5' }),
    );
    await until('both pumpups complete again', () => completes.length === 2);
    assert.deepEqual([...completes].sort(), ['agent', 'contact']);
    await until('ready again', () => c.state === 'ready');
  });

  it('delivers ambiguous groupId frames to both group producers, flags them, and warns once', async () => {
    const c = connect();
    const warnings: string[] = [];
    c.on('warning', (w: string) => warnings.push(w));
    const socketP = server.nextSocket();
    const ag = c.subscribe('AgentGroup_SoD_3.5');
    const rsg = c.subscribe('RoutingServiceGroup_SoD_3.5');
    const agMsgs: AnalyticsMessage[] = [];
    const rsgMsgs: AnalyticsMessage[] = [];
    ag.on('message', (m: AnalyticsMessage) => agMsgs.push(m));
    rsg.on('message', (m: AnalyticsMessage) => rsgMsgs.push(m));
    const ws = await socketP;
    await until('both redirects', () => ag.state === 'subscribed' && rsg.state === 'subscribed');
    ws.send(frame({ dimension: { groupId: '1' }, realtimeData: { agentsReady: '3' } }));
    ws.send(frame({ dimension: { groupid: '2' }, realtimeData: { contactsWaiting: 4 } }));
    ws.send(frame({ dimension: { groupId: '3' }, realtimeData: { acwDuration: '7' } }));
    ws.send(frame({ dimension: { groupId: '4' }, realtimeData: { acwDuration: '8' } }));
    await until('deliveries', () => agMsgs.length === 3 && rsgMsgs.length === 3);
    assert.equal(agMsgs[0]?.measures.agentsReady, 3);
    assert.equal(agMsgs[0]?.ambiguous, undefined);
    assert.equal(rsgMsgs[0]?.dimension.groupId, '2');
    assert.equal(agMsgs[1]?.ambiguous, true);
    assert.equal(rsgMsgs[1]?.ambiguous, true);
    assert.equal(agMsgs[1]?.measures.acwDuration, 7);
    assert.notEqual(agMsgs[1]?.measures, rsgMsgs[1]?.measures, 'each producer gets its own measures object');
    assert.equal(c.stats.ambiguousMessages, 2);
    assert.equal(warnings.filter((w) => /match/.test(w)).length, 1);
  });

  it('declares a silent socket stale (watchdog), terminates it, and reconnects', async () => {
    const c = connect({ heartbeatIntervalMs: 50, missedHeartbeats: 3 });
    const states: StateEvent[] = [];
    c.on('state', (s: StateEvent) => states.push(s));
    const first = server.nextSocket();
    c.subscribe('Agent_SoD_3.5');
    const ws1 = await first;
    await server.nextFrame((t) => t.includes('subscriptionRedirect'));
    server.heartbeats = false; // the server goes silent but keeps the TCP connection
    const closed = new Promise<void>((resolve) => ws1.once('close', () => resolve()));
    const second = server.nextSocket();
    server.heartbeats = false;
    await closed;
    server.heartbeats = true;
    await second;
    assert.ok(states.some((s) => s.state === 'stale' && /no frame/.test(s.reason ?? '')));
    const disc = states.find((s) => s.state === 'disconnected');
    assert.ok(disc && disc.attempt === 1 && typeof disc.delayMs === 'number');
  });

  it('recovers after a server error frame (re-POST, new socket, new redirect)', async () => {
    const c = connect();
    const first = server.nextSocket();
    const sub = c.subscribe('Agent_SoD_3.5');
    const ws1: WebSocket = await first;
    await server.nextFrame((t) => t.includes('"guid-1"'));
    const second = server.nextSocket();
    const disconnected = waitForEvent<StateEvent>(c, 'state', (s) => s.state === 'disconnected');
    ws1.send('{"code":500,"message":"internal error while handling the request"}');
    ws1.close(1011, 'internal');
    const ev = await disconnected;
    assert.match(ev.reason ?? '', /server error 500: internal error/);
    await second;
    await server.nextFrame((t) => t.includes('"guid-2"') && t.includes('subscriptionRedirect'));
    assert.equal(c.stats.serverErrors, 1);
    assert.equal(sub.state, 'subscribed');
  });

  it('close() leaves no timers, sockets or agents behind', async () => {
    const resources = (): string => {
      const counts: Record<string, number> = {};
      for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
      return JSON.stringify(Object.entries(counts).sort());
    };
    await sleep(1); // mocha arms its own test timer once the test function has returned its promise
    const baseline = resources();
    const c = connect({ heartbeatIntervalMs: 50 });
    const socketP = server.nextSocket();
    c.subscribe('Agent_SoD_3.5');
    c.subscribe('ContactDetail_CDR_3.5');
    await socketP;
    await until('connected', () => c.state === 'connected');
    assert.notEqual(resources(), baseline);
    await c.close();
    assert.equal(c.state, 'closed');
    await until(
      `resources back to the baseline (${resources()} vs ${baseline})`,
      () => resources() === baseline,
      3_000,
    );
    assert.equal(server.requests.filter((r) => r.method === 'DELETE').length, 2, 'close() unsubscribed both');
  });

  it('unsubscribes in three stages: unsubscriptionRedirect, DELETE, then closes the socket', async () => {
    const c = connect();
    const socketP = server.nextSocket();
    const a = c.subscribe('Agent_SoD_3.5');
    const b = c.subscribe('ContactDetail_CDR_3.5');
    const ws = await socketP;
    await until('both redirects', () => a.state === 'subscribed' && b.state === 'subscribed');
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await c.unsubscribe(a);
    assert.equal(a.state, 'closed');
    const unsub = server.received.find((t) => t.includes('unsubscriptionRedirect'));
    assert.ok(unsub && (JSON.parse(unsub) as { producerId?: unknown }).producerId === 'Agent_SoD_3.5');
    const del = server.requests.filter((r) => r.method === 'DELETE');
    assert.deepEqual(
      del.map((r) => r.path),
      [`/orca-streams-rest/sources/${SOURCE_ID}/producers/Agent_SoD_3.5/subscriptions`],
    );
    assert.equal(ws.readyState, ws.OPEN, 'the socket stays while a subscription is left');
    await c.unsubscribe(b);
    await closed;
    assert.equal(c.state, 'idle');
    const order = server.received
      .filter((t) => t.includes('Redirect'))
      .map((t) => (JSON.parse(t) as { eventName: string }).eventName);
    assert.deepEqual(order, [
      'subscriptionRedirect',
      'subscriptionRedirect',
      'unsubscriptionRedirect',
      'unsubscriptionRedirect',
    ]);
  });
});
