// Broker fan-out: deltas from one collector to N = 1, 10 and 100 subscribers of one Mosquitto on
// loopback. Three processes: the simulator (TLS, a fixed event rate), the collector (this process: the
// package's client → StateStore → the broker scheme of lib/broker.ts → MQTT.js, MQTT 5, exactly what
// subscribe → state → avaya-analytics-mqtt → mqtt out do per change, without the Node-RED runtime) and
// the subscribers (N MQTT.js clients, at most --per-process of them per process, on <prefix>/delta/#). Mosquitto is
// Debian's.
// Reports per N: deltas/s into the collector, msgs/s delivered (all subscribers), p50/p99 latency from
// the frame's arrival at the collector to a subscriber (one CLOCK_MONOTONIC across processes: the
// collector stamps each delta with a user property), and the collector's CPU per 1,000 deltas, also
// without publishing (N = 0). Usage: npm run bench:mqtt
//   node dist/bench/mqtt-fanout.js [--seconds 8] [--rate 400] [--agents 400] [--subscribers 1,10,100] [--per-process
// 25]
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { deltaPayload, deltaTopic, recordPayload, recordTopic } from '../lib/broker';
import { createClient, type AnalyticsMessage } from '../lib/index';
import { StateStore } from '../lib/state/index';
import { mosquittoPath, MOSQUITTO_MISSING, startMosquitto } from '../scripts/mosquitto';
import { startSimulator } from '../simulator/index';

const PREFIX = 'bench';
const PRODUCERS = ['Agent_SoD_3.5', 'AgentByAccount_SoD_3.5'];

interface MqttLike {
  publish(topic: string, payload: string, opts: Record<string, unknown>): void;
  subscribeAsync(topic: string, opts: Record<string, unknown>): Promise<unknown>;
  on(
    event: 'message',
    fn: (topic: string, payload: Buffer, packet: { properties?: { userProperties?: Record<string, string> } }) => void,
  ): void;
  endAsync(force?: boolean): Promise<void>;
}
function mqtt(): { connectAsync(url: string, opts: Record<string, unknown>): Promise<MqttLike> } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- MQTT.js as Node-RED ships it
  return require(require.resolve('mqtt', { paths: [require.resolve('node-red/package.json')] })) as never;
}

// ---- child roles ----------------------------------------------------------------------------------

async function simRole(rate: number, agents: number): Promise<void> {
  const sim = await startSimulator({ host: '127.0.0.1', rate, agents, seed: 1, heartbeatIntervalMs: 5000 });
  const user = sim.users[0]!;
  process.send!({ restUrl: sim.restUrl, caPem: sim.caPem, username: user.username, password: user.password });
  process.on('message', () => void sim.close().then(() => process.exit(0)));
}

async function subscribersRole(url: string, n: number): Promise<void> {
  const clients: MqttLike[] = [];
  let counting = false;
  let count = 0;
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = await mqtt().connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
    c.on('message', (_t, _p, packet) => {
      if (!counting) return;
      count++;
      const t0 = packet.properties?.userProperties?.t0;
      // every 4th: enough samples
      if (t0 !== undefined && (count & 3) === 0) latencies.push(Number(process.hrtime.bigint() - BigInt(t0)) / 1e6);
    });
    await c.subscribeAsync(`${PREFIX}/delta/#`, { qos: 0 });
    clients.push(c);
  }
  process.send!({ ready: true });
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'start') {
      counting = true;
      count = 0;
      latencies.length = 0;
    } else if (m.cmd === 'stop') {
      counting = false;
      process.stderr.write(`subscribers: ${count} msgs, ${latencies.length} samples\n`);
      process.send!({ count, latencies });
      void Promise.all(clients.map((c) => c.endAsync(true))).then(() => process.exit(0));
    }
  });
}

// ---- the collector --------------------------------------------------------------------------------

function child(args: string[]): ChildProcess {
  return fork(__filename, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}
function reply<T>(p: ChildProcess): Promise<T> {
  return new Promise((res) => p.once('message', (m) => res(m as T)));
}

/** CPU seconds a process used so far (Linux /proc; NaN elsewhere). */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return NaN;
  }
}

interface Row {
  n: number;
  brokerCpu: number;
  deltasPerS: number;
  deliveredPerS: number;
  p50: number;
  p99: number;
  cpuPer1000: number;
}

async function run(
  sim: { restUrl: string; caPem: string; username: string; password: string },
  brokerUrl: string,
  brokerPid: number | undefined,
  n: number,
  seconds: number,
  perProcess: number,
): Promise<Row> {
  const store = new StateStore();
  const publisher = n > 0 ? await mqtt().connectAsync(brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 }) : null;
  // The subscribers in processes of at most `perProcess` clients each (one process would measure MQTT.js, not the
  // broker).
  const subs: ChildProcess[] = [];
  for (let left = n; left > 0; left -= perProcess)
    subs.push(child(['--role', 'subs', '--url', brokerUrl, '--n', String(Math.min(left, perProcess))]));
  await Promise.all(subs.map((c) => reply(c)));
  const client = createClient({
    url: sim.restUrl,
    username: sim.username,
    password: sim.password,
    tls: { ca: sim.caPem },
  });
  let deltas = 0;
  let counting = false;
  let completes = 0;
  for (const producer of PRODUCERS) {
    const sub = client.subscribe(producer);
    sub.on('pumpupComplete', () => completes++);
    sub.on('message', (m: AnalyticsMessage) => {
      const t0 = process.hrtime.bigint();
      if (counting) deltas++;
      const change = store.apply({
        producer: m.producerId,
        dimension: m.dimension,
        payload: m.measures,
        pumpup: m.pumpup,
        eventAction: m.eventAction,
        topic: m.key,
      });
      if (publisher === null || change === null || change.kind === 'rejected') return;
      const rTopic = recordTopic(PREFIX, m.producerId, m.dimension);
      if (change.kind !== 'upsert') {
        publisher.publish(rTopic, '', { qos: 1, retain: true });
        return;
      }
      const record = store.record(change.entity);
      publisher.publish(rTopic, recordPayload(record), { qos: 1, retain: true });
      // Deltas of live changes only: the pumpup's rows (every measure "changed") would queue a backlog at every
      // subscriber before the window.
      if (change.changed.length > 0 && !m.pumpup) {
        publisher.publish(deltaTopic(PREFIX, m.producerId, m.dimension), deltaPayload(record, change.changed), {
          qos: 0,
          properties: { messageExpiryInterval: 60, userProperties: { t0: String(t0), producer: m.producerId } },
        });
      }
    });
  }
  while (completes < PRODUCERS.length) await sleep(50);
  await sleep(1000); // warm-up
  for (const c of subs) c.send({ cmd: 'start' });
  counting = true;
  const cpu0 = process.cpuUsage();
  const broker0 = cpuSecondsOf(brokerPid);
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  const ms = Date.now() - t0;
  const brokerCpu = ((cpuSecondsOf(brokerPid) - broker0) * 1000 * 100) / ms;
  counting = false;
  const replies = subs.map((c) => reply<{ count: number; latencies: number[] }>(c));
  for (const c of subs) c.send({ cmd: 'stop' });
  const all = await Promise.all(replies);
  const latencies = all.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  const got = { count: all.reduce((sum, r) => sum + r.count, 0), p50: q(0.5), p99: q(0.99) };
  await client.close();
  await publisher?.endAsync();
  return {
    n,
    brokerCpu,
    deltasPerS: (deltas * 1000) / ms,
    deliveredPerS: (got.count * 1000) / ms,
    p50: got.p50,
    p99: got.p99,
    cpuPer1000: deltas > 0 ? ((cpu.user + cpu.system) / 1000 / deltas) * 1000 : NaN,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'main' },
      url: { type: 'string', default: '' },
      n: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '8' },
      rate: { type: 'string', default: '400' },
      agents: { type: 'string', default: '400' },
      subscribers: { type: 'string', default: '1,10,100' },
      'per-process': { type: 'string', default: '25' },
    },
  });
  if (values.role === 'sim') return simRole(Number(values.rate), Number(values.agents));
  if (values.role === 'subs') return subscribersRole(values.url, Number(values.n));

  if (mosquittoPath() === null) throw new Error(MOSQUITTO_MISSING);
  const broker = await startMosquitto();
  const simProc = child(['--role', 'sim', '--rate', values.rate, '--agents', values.agents]);
  const sim = await reply<{ restUrl: string; caPem: string; username: string; password: string }>(simProc);
  const rows: Row[] = [];
  try {
    for (const n of [0, ...values.subscribers.split(',').map(Number)]) {
      const row = await run(
        sim,
        broker.url,
        broker.child.pid,
        n,
        Number(values.seconds),
        Number(values['per-process']),
      );
      rows.push(row);
      process.stderr.write(`N=${n}: ${JSON.stringify(row)}\n`);
    }
  } finally {
    simProc.send('close');
    await broker.close();
  }
  const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  const lines = [
    `Mosquitto on loopback, N subscribers (MQTT.js, MQTT 5, ≤ ${values['per-process']} per process) on ${PREFIX}/delta/#; simulator rate ${values.rate} events/s, ${values.agents} agents, producers ${PRODUCERS.join(', ')}; ${values.seconds} s per row`,
    '',
    '| subscribers | deltas/s into the collector | msgs/s delivered | p50 latency (ms) | p99 latency (ms) | collector CPU per 1,000 deltas (ms) | Mosquitto CPU (% of a core) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.n === 0 ? '0 (no publishing)' : r.n} | ${f(r.deltasPerS)} | ${r.n === 0 ? '–' : f(r.deliveredPerS)} | ${f(r.p50, 1)} | ${f(r.p99, 1)} | ${f(r.cpuPer1000, 1)} | ${r.n === 0 ? '–' : f(r.brokerCpu)} |`,
    ),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:mqtt failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
