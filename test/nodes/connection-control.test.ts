// Connection control by msg in a REAL Node-RED against the simulator: msg.action "disconnect" on a
// subscribe node ends the subscription on the server and closes the socket, the flow sees a
// "disconnected" lifecycle event with cause "by-flow" and the state view turns unsynced; "connect"
// brings the stream back with a fresh pumpup; "reconnect" drops the socket and connects again; and a
// server node with "connect on start" off logs nobody in until a flow sends "connect".
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../simulator/index';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red-process';
import { PASSWORD, simulator, USER } from '../helpers/node-red-test-helper';
import { until, sleep } from '../helpers/wait';
import { tlsConfigNode, functionNode } from '../helpers/flow-nodes';

const PRODUCER = 'Agent_SoD_3.5';
type Rec = Record<string, unknown>;

function flow(sim: RunningSimulator, tab: string, connectOnStart: boolean): unknown[] {
  const z = tab;
  const fn = (id: string, func: string, wires: string[][]) => functionNode(`${z}-${id}`, z, func, wires, id);
  const id = (name: string): string => `${z}-${name}`;
  return [
    { id: z, type: 'tab', label: z, disabled: false, info: '' },
    tlsConfigNode(id('tls'), sim.caPem, ''),
    {
      id: id('srv'),
      type: 'avaya-analytics-server',
      name: '',
      url: sim.restUrl,
      tls: id('tls'),
      connectOnStart,
      credentials: { username: USER, password: PASSWORD },
    },
    {
      id: id('sub'),
      type: 'avaya-analytics-subscribe',
      version: 2,
      z,
      server: id('srv'),
      producer: PRODUCER,
      x: 100,
      y: 100,
      wires: [[id('state')]],
    },
    { id: id('state'), type: 'avaya-analytics-state', z, x: 300, y: 100, wires: [[id('rec')]] },
    // Lifecycle events after the state node, and the view's size and sync on request.
    fn(
      'rec',
      "if (msg.control !== undefined) { const e = flow.get('events') || []; e.push({ control: msg.control, kind: msg.payload.cause && msg.payload.cause.kind, synced: msg.synced }); flow.set('events', e); }\nreturn null;",
      [[]],
    ),
    {
      id: id('act'),
      type: 'http in',
      z,
      name: '',
      url: `/${z}/action`,
      method: 'get',
      upload: false,
      swaggerDoc: '',
      x: 100,
      y: 200,
      wires: [[id('to-sub'), id('ok')]],
    },
    fn('to-sub', 'msg.action = msg.req.query.do;\ndelete msg.req; delete msg.res;\nreturn msg;', [[id('sub')]]),
    fn('ok', "msg.payload = 'ok';\nreturn msg;", [[id('res')]]),
    {
      id: id('rcf'),
      type: 'http in',
      z,
      name: '',
      url: `/${z}/reconfigure`,
      method: 'post',
      upload: false,
      swaggerDoc: '',
      x: 100,
      y: 250,
      wires: [[id('to-sub2'), id('ok')]],
    },
    fn('to-sub2', "const m = { action: 'reconfigure', payload: msg.payload };\nreturn m;", [[id('sub')]]),
    {
      id: id('view'),
      type: 'http in',
      z,
      name: '',
      url: `/${z}/events`,
      method: 'get',
      upload: false,
      swaggerDoc: '',
      x: 100,
      y: 300,
      wires: [[id('answer')]],
    },
    fn('answer', "msg.payload = flow.get('events') || [];\nreturn msg;", [[id('res')]]),
    { id: id('res'), type: 'http response', z, name: '', statusCode: '', headers: {}, x: 500, y: 200, wires: [] },
  ];
}

describe('connection control by msg in a real Node-RED', function () {
  this.timeout(90_000);
  let sim: RunningSimulator;
  let red: NodeRedProcess;

  before(async () => {
    sim = await simulator({ rate: 0 });
    red = await startNodeRed();
  });
  after(async () => {
    await red?.close();
    await sim?.close();
  });

  const stats = () => sim.control.stats().users[USER];
  const action = async (tab: string, what: string): Promise<void> => {
    const res = await fetch(`${red.base}/api/${tab}/action?do=${what}`);
    assert.equal(res.status, 200);
  };
  const events = async (tab: string): Promise<Rec[]> =>
    (await (await fetch(`${red.base}/api/${tab}/events`)).json()) as Rec[];

  async function deploy(flows: unknown[]): Promise<void> {
    const res = await fetch(`${red.base}/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify({ flows }),
    });
    assert.equal(res.status, 200, await res.text());
  }

  it('disconnect leaves no socket and no subscription on the server; connect brings the stream back with a fresh pumpup', async () => {
    await deploy(flow(sim, 'ctl', true));
    await until('streaming', () => stats()?.streams === 1 && stats()?.sockets === 1, 20_000);
    await until(
      'the first pumpup through the state node',
      async () => (await events('ctl')).some((e) => e.control === 'pumpupComplete' && e.synced === true),
      20_000,
    );

    await action('ctl', 'disconnect');
    await until(
      'no socket and no subscription left on the simulator',
      () => stats()?.sockets === 0 && stats()?.subscriptions.length === 0,
      20_000,
    );
    const down = await until('the disconnect in the flow', async () =>
      (await events('ctl')).find((e) => e.control === 'disconnected'),
    );
    assert.deepEqual(
      down,
      { control: 'disconnected', kind: 'by-flow', synced: false },
      'distinct from a failure, and the view is not synced',
    );
    const logins = stats()!.logins;

    // Stays down: no retry while disconnected by the flow.
    await sleep(1500);
    assert.equal(stats()?.sockets, 0);
    assert.equal(stats()?.logins, logins);

    await action('ctl', 'connect');
    await until('streaming again', () => stats()?.streams === 1 && stats()?.sockets === 1, 20_000);
    await until(
      'a second pumpup',
      async () => (await events('ctl')).filter((e) => e.control === 'pumpupComplete').length === 2,
      20_000,
    );
    const after = await events('ctl');
    assert.equal(after.filter((e) => e.control === 'pumpupComplete').at(-1)?.synced, true, 'synced again');
    assert.equal(stats()?.subscriptions.length, 1, 'one subscription, as before');

    // reconnect: a new socket, the same subscription, a fresh pumpup.
    await action('ctl', 'reconnect');
    await until(
      'a third pumpup',
      async () => (await events('ctl')).filter((e) => e.control === 'pumpupComplete').length === 3,
      20_000,
    );
    assert.equal(stats()?.sockets, 1);
    assert.equal(stats()?.subscriptions.length, 1);
  });

  it('reconfigure takes new credentials at run time, and neither the old nor the new password reaches the log', async () => {
    await deploy(flow(sim, 'rcf', true));
    await until('streaming', () => stats()?.streams === 1 && stats()?.sockets === 1, 20_000);
    const reconfigure = async (payload: Rec): Promise<void> => {
      const res = await fetch(`${red.base}/api/rcf/reconfigure`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      assert.equal(res.status, 200);
    };
    await reconfigure({ password: 'wrong-secret-7731' });
    const refused = await until(
      'the refused login in the flow',
      async () => (await events('rcf')).find((e) => e.control === 'auth-failed'),
      20_000,
    );
    assert.equal(refused.kind, 'login-refused');
    await reconfigure({ password: PASSWORD });
    await until(
      'streaming again with the good password',
      async () => (await events('rcf')).filter((e) => e.control === 'pumpupComplete').length === 2,
      30_000,
    );
    const log = red.output();
    assert.ok(!log.includes('wrong-secret-7731'), 'the new password was logged');
    assert.ok(!log.includes(PASSWORD), 'the password was logged');
  });

  it('a server node with "connect on start" off logs in nobody until a flow sends "connect"', async () => {
    const loginsBefore = stats()?.logins ?? 0;
    await deploy(flow(sim, 'cold', false));
    await until('the earlier flow gone', () => stats()?.sockets === 0, 20_000);
    await sleep(1500);
    assert.equal(stats()?.logins ?? 0, loginsBefore, 'no login');
    assert.equal(stats()?.sockets, 0, 'no socket');
    const first = await until('the stopped state in the flow', async () =>
      (await events('cold')).find((e) => e.control === 'disconnected'),
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nNode-RED log:\n${red.output().slice(-3000)}`);
    });
    assert.equal(first.kind, 'by-flow');

    await action('cold', 'connect');
    await until('streaming', () => stats()?.streams === 1 && stats()?.sockets === 1, 20_000);
    await until(
      'the pumpup',
      async () => (await events('cold')).some((e) => e.control === 'pumpupComplete' && e.synced === true),
      20_000,
    );
  });
});
