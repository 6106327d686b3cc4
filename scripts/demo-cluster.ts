// `npm run demo:cluster`: the scale-out of README "Scaling out", on one machine. Debian's Mosquitto (if
// installed; else a message naming the package), the Open Interface simulator, two collector Node-REDs
// (hot/hot: two supervisors with the same groups, each publishing the same retained records) and one
// consumer Node-RED whose wallboard (the one `npm start` shows) is fed only by the broker. Prints the
// URLs; Ctrl-C stops everything. Kill a collector (its PID is printed) and the wallboard stays live;
// its Last Will shows on the broker (mosquitto_sub -v -t 'avaya/demo/health/#').
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../simulator/index';
import { collectorNodes, consumerNodes, type FlowNode } from './cluster-flows';
import { serverFlowNode, stateFlowNode, tlsFlowNode } from './config-nodes';
import { DemoConfigError } from './demo-config';
import { DASHBOARD_PATH, WALLBOARD_PAGE_PATH } from './demo-dashboard';
import { AGENT_PRODUCER, DEMO_ENV, DEMO_IDS, DEMO_NOT_READY_LIMIT, demoFlow, SERVICE_PRODUCER } from './demo-flow';
import { MOSQUITTO_MISSING, mosquittoPath, startMosquitto, type Mosquitto } from './mosquitto';
import {
  assertModulesLoaded,
  DASHBOARD_PACKAGE,
  isPortFree,
  PACKAGE_NAME,
  prepareUserDir,
  REPO_ROOT,
  startNodeRed,
  type NodeRedProcess,
} from './node-red-process';

const PREFIX = 'avaya/demo';
const PRODUCERS = [AGENT_PRODUCER, SERVICE_PRODUCER];

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new DemoConfigError(`${name} must be a port number, got ${JSON.stringify(raw)}`);
  return n;
}

/** The consumer: the `npm start` flow with its subscribe, server and TLS nodes replaced by core mqtt in. */
export function consumerFlow(broker: { host: string; port: number }): FlowNode[] {
  const ids = DEMO_IDS;
  const flow = demoFlow({ username: '', password: '' })
    .filter((n) => !['avaya-analytics-subscribe', 'avaya-analytics-server', 'tls-config'].includes(String(n.type)))
    .map((n) => (n.type === 'avaya-analytics-alert' ? { ...n, server: '' } : n));
  const alerts = flow.filter((n) => n.type === 'avaya-analytics-alert').map((n) => String(n.id));
  const tab = ids.tab;
  const mqtt = consumerNodes({
    tab: 'aa-cluster',
    prefix: PREFIX,
    broker,
    producer: AGENT_PRODUCER,
    stateId: ids.agentState,
  });
  const brokerId = 'aa-cluster-broker';
  const feedState = 'aa-cluster-state-feed';
  const inNode = (id: string, name: string, topic: string, wires: string[], y: number): FlowNode => ({
    id,
    type: 'mqtt in',
    z: tab,
    name,
    topic,
    qos: '1',
    datatype: 'auto-detect',
    broker: brokerId,
    nl: false,
    rap: true,
    rh: 0,
    inputs: 0,
    x: 140,
    y,
    wires: [wires],
  });
  return [
    ...flow,
    inNode(
      'aa-cluster-in-agents',
      'agents from the broker',
      `${PREFIX}/record/${AGENT_PRODUCER}/#`,
      [ids.agentState, ...alerts],
      120,
    ),
    inNode(
      'aa-cluster-in-services',
      'queues from the broker',
      `${PREFIX}/record/${SERVICE_PRODUCER}/#`,
      [ids.serviceState],
      320,
    ),
    inNode(
      'aa-cluster-in-health',
      'feed health from the broker',
      `${PREFIX}/health/#`,
      [ids.agentState, ids.serviceState, feedState],
      420,
    ),
    stateFlowNode(feedState, {
      z: tab,
      name: 'feed health',
      maxEntities: 100,
      derived: false,
      x: 380,
      y: 420,
      wires: [[ids.feedHealth]],
    }),
    ...mqtt.filter((n) => n.type === 'mqtt-broker').map((n) => ({ ...n, id: brokerId, name: 'demo broker' })),
  ];
}

function collectorFlow(
  name: string,
  sim: RunningSimulator,
  user: { username: string; password: string },
  broker: { host: string; port: number },
): FlowNode[] {
  const tab = 'aa-collector';
  return [
    {
      id: tab,
      type: 'tab',
      label: `Collector ${name}`,
      disabled: false,
      info: `Publishes the view of ${PRODUCERS.join(' and ')} to ${PREFIX}/… (README "Scaling out").`,
      env: [],
    },
    tlsFlowNode('aa-collector-tls', { name: 'Simulator CA', ca: sim.caPath ?? '' }),
    serverFlowNode('aa-collector-server', {
      name: 'Simulator',
      url: sim.restUrl,
      tls: 'aa-collector-tls',
      credentials: { ...user },
    }),
    ...collectorNodes({
      tab,
      server: 'aa-collector-server',
      producers: PRODUCERS,
      prefix: PREFIX,
      collector: name,
      broker,
      deltas: true,
    }),
  ];
}

async function deployFlow(red: NodeRedProcess, flow: FlowNode[]): Promise<void> {
  const res = await fetch(`${red.baseUrl}/flows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
    body: JSON.stringify(flow),
  });
  if (!res.ok) throw new Error(`deploy to ${red.baseUrl} failed: HTTP ${res.status} ${await res.text()}`);
}

async function main(): Promise<void> {
  if (mosquittoPath() === null) throw new DemoConfigError(MOSQUITTO_MISSING);
  const ports = {
    consumer: port('NODE_RED_PORT', 1880),
    a: port('COLLECTOR_A_PORT', 1881),
    b: port('COLLECTOR_B_PORT', 1882),
    mqtt: port('MQTT_PORT', 1883),
  };
  for (const [what, p] of Object.entries(ports))
    if (!(await isPortFree(p)))
      throw new DemoConfigError(
        `port ${p} (${what}) is in use: set ${what === 'mqtt' ? 'MQTT_PORT' : what === 'consumer' ? 'NODE_RED_PORT' : `COLLECTOR_${what.toUpperCase()}_PORT`}`,
      );
  const root = path.resolve(process.env.CLUSTER_DIR?.trim() || path.join(REPO_ROOT, '.node-red-cluster'));
  rmSync(root, { recursive: true, force: true }); // a fresh cluster each time: the flows are generated
  mkdirSync(root, { recursive: true });

  const broker: Mosquitto = await startMosquitto({ port: ports.mqtt });
  const simOptions: SimulatorOptions = {
    port: 0,
    controlPort: 0,
    certDir: path.join(root, 'simulator'),
    agents: Number(process.env.SIM_AGENTS || 40),
    rate: Number(process.env.SIM_RATE || 4),
    seed: 1,
  };
  // Hot/hot needs two supervisors with the same groups: supervisor1's, read from a first start.
  const probe = await startSimulator({ ...simOptions, certDir: undefined });
  const first = probe.users[0]!;
  await probe.close();
  const second = { username: 'supervisor-b', password: 'password-b', groups: [...first.groups] };
  const sim = await startSimulator({ ...simOptions, users: [first, second] });

  const reds: Array<{ name: string; red: NodeRedProcess }> = [];
  let stopping: Promise<never> | null = null;
  const stop = (code: number): Promise<never> =>
    (stopping ??= (async () => {
      process.stdout.write('\nStopping the Node-REDs, the simulator and Mosquitto…\n');
      await Promise.all(reds.map(({ red }) => red.stop()));
      await sim.close();
      await broker.close();
      process.exit(code);
    })());
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const mqtt = { host: '127.0.0.1', port: broker.port };
    for (const [name, p, user] of [
      ['A', ports.a, first],
      ['B', ports.b, second],
    ] as const) {
      const userDir = path.join(root, `collector-${name}`);
      prepareUserDir(userDir);
      const red = startNodeRed({ userDir, port: p, output: 'pipe' });
      reds.push({ name: `collector ${name}`, red });
      await red.ready();
      await assertModulesLoaded(red.baseUrl, [PACKAGE_NAME]);
      await deployFlow(red, collectorFlow(name, sim, { username: user.username, password: user.password }, mqtt));
    }
    const userDir = path.join(root, 'consumer');
    prepareUserDir(userDir);
    const consumer = startNodeRed({
      userDir,
      port: ports.consumer,
      output: 'inherit',
      env: { [DEMO_ENV.notReadyLimit]: process.env[DEMO_ENV.notReadyLimit] || DEMO_NOT_READY_LIMIT },
    });
    reds.push({ name: 'consumer', red: consumer });
    await consumer.ready();
    await assertModulesLoaded(consumer.baseUrl, [PACKAGE_NAME, DASHBOARD_PACKAGE]);
    await deployFlow(consumer, consumerFlow(mqtt));
    for (const { name, red } of reds) {
      red.child.once('exit', (code, signal) => {
        if (!stopping) process.stdout.write(`${name} exited (${code ?? signal}); the others keep running\n`);
      });
    }
    process.stdout.write(
      [
        '',
        'Avaya Analytics cluster demo is running',
        `  Wallboard    ${consumer.baseUrl}${DASHBOARD_PATH}${WALLBOARD_PAGE_PATH}   (consumer: reads only the broker)`,
        `  Consumer     ${consumer.baseUrl}/`,
        ...reds
          .filter((r) => r.name.startsWith('collector'))
          .map(
            ({ name, red }) =>
              `  ${name.padEnd(12)} ${red.baseUrl}/   pid ${red.child.pid} (kill -9 it: the wallboard stays live)`,
          ),
        `  Broker       ${broker.url}   topics ${PREFIX}/record/…, ${PREFIX}/delta/…, ${PREFIX}/health/…`,
        `               mosquitto_sub -h 127.0.0.1 -p ${broker.port} -v -t '${PREFIX}/health/#'`,
        `  Simulator    ${sim.restUrl}   control API ${sim.controlUrl}   (supervisors ${first.username} and ${second.username}, same groups)`,
        `  Files        ${root}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    process.stderr.write(`demo:cluster failed: ${err instanceof Error ? err.message : String(err)}\n`);
    for (const { name, red } of reds)
      if (red.output()) process.stderr.write(`--- ${name}\n${red.output().slice(-1500)}\n`);
    await stop(1);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`demo:cluster failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
