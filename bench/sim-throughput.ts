// Flat-out throughput of the simulator to one client: the simulator runs in a worker thread
// (rate 'max', TLS) and a bare ws client on the main thread counts frames for a few seconds.
// Prints msgs/s and MB/s per run and the median of the runs. Usage: npm run bench:sim
//   node dist/bench/sim-throughput.js [--seconds 5] [--runs 3] [--producers Agent_SoD_3.5,...] [--agents 200] [--plain]
// By default the client holds the licence maximum: five subscriptions on its one socket.
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { startSimulator } from '../simulator/index';

/** Five producers: the licence allows five subscriptions per supervisor. */
const DEFAULT_PRODUCERS = [
  'Agent_SoD_3.5',
  'AgentByAccount_SoD_3.5',
  'AgentGroup_SoD_3.5',
  'RoutingService_SoD_3.5',
  'VDN_SoD_3.5',
];

interface Ready {
  restUrl: string;
  caPem: string | undefined;
  username: string;
  password: string;
  sourceId: string;
}

interface WorkerInput {
  tls: boolean;
  agents: number;
}

async function runSimulatorWorker(): Promise<void> {
  const input = workerData as WorkerInput;
  const sim = await startSimulator({ rate: 'max', tls: input.tls, agents: input.agents, seed: 1 });
  const user = sim.users[0]!;
  const ready: Ready = {
    restUrl: sim.restUrl,
    caPem: sim.caPem,
    username: user.username,
    password: user.password,
    sourceId: sim.model.sourceId,
  };
  parentPort!.postMessage(ready);
  parentPort!.once('message', () => {
    void sim.close().then(() => process.exit(0));
  });
}

async function call<T = unknown>(
  url: string,
  dispatcher: Agent,
  init: { method?: 'GET' | 'POST' | 'DELETE'; headers?: Record<string, string>; body?: string } = {},
): Promise<T> {
  const response = await request(url, { ...init, dispatcher });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.statusCode} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** One run: subscribe, stream for `seconds` after the pumpups, count frames and bytes. */
async function measure(
  ready: Ready,
  producers: string[],
  seconds: number,
  dispatcher: Agent,
): Promise<{ msgs: number; bytes: number; ms: number }> {
  const base = ready.restUrl;
  const login = await call<{ authdata: string }>(
    `${base}/users/login?tenant=0&username=${encodeURIComponent(ready.username)}&password=${encodeURIComponent(ready.password)}`,
    dispatcher,
  );
  const token = login.authdata;
  const responses: Array<Record<string, string>> = [];
  for (const producerId of producers) {
    responses.push(
      await call<Record<string, string>>(
        `${base}/sources/${encodeURIComponent(ready.sourceId)}/producers/${encodeURIComponent(producerId)}/subscriptions`,
        dispatcher,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            sourceId: ready.sourceId,
            producerId,
            streamType: 'SoD',
            transport: 'websocket',
            tenantId: '0',
            username: ready.username,
            dimensionFilters: [],
            measureFilters: [],
          }),
        },
      ),
    );
  }
  const ws = new WebSocket(responses[0]!.endpoint!, {
    ...(ready.caPem ? { ca: ready.caPem } : {}),
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let pending = responses.length;
  let counting = false;
  let msgs = 0;
  let bytes = 0;
  let started = 0;
  const done = new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      if (counting) {
        msgs++;
        bytes += data.length;
        return;
      }
      // Count only after every pumpup is complete (steady-state deltas).
      if (data.length < 512 && data.includes('"pumpupComplete":true') && --pending === 0) {
        counting = true;
        started = performance.now();
        setTimeout(resolve, seconds * 1000);
      }
    });
  });
  const heartbeat = setInterval(() => ws.send('--heartbeat--'), 8000);
  for (const response of responses)
    ws.send(JSON.stringify({ authorization: token, eventName: 'subscriptionRedirect', ...response }));
  await done;
  const ms = performance.now() - started;
  clearInterval(heartbeat);
  ws.terminate();
  for (const producerId of producers) {
    await call(
      `${base}/sources/${encodeURIComponent(ready.sourceId)}/producers/${encodeURIComponent(producerId)}/subscriptions`,
      dispatcher,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      },
    );
  }
  return { msgs, bytes, ms };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      runs: { type: 'string', default: '3' },
      producers: { type: 'string', default: DEFAULT_PRODUCERS.join(',') },
      agents: { type: 'string', default: '200' },
      plain: { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const runs = Number(values.runs);
  const producers = values.producers.split(',');
  const input: WorkerInput = { tls: !values.plain, agents: Number(values.agents) };
  const worker = new Worker(__filename, { workerData: input });
  const ready = await new Promise<Ready>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const dispatcher = new Agent({ connect: ready.caPem ? { ca: ready.caPem } : {} });
  console.log(
    `simulator ${ready.restUrl} (rate max, ${input.tls ? 'TLS' : 'plain'}), producers ${producers.join(', ')}, ${seconds} s x ${runs}`,
  );
  const rates: number[] = [];
  const mbs: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const { msgs, bytes, ms } = await measure(ready, producers, seconds, dispatcher);
    const rate = (msgs * 1000) / ms;
    const mb = (bytes * 1000) / ms / 1e6;
    rates.push(rate);
    mbs.push(mb);
    console.log(
      `run ${run}: ${Math.round(rate).toLocaleString('en-US')} msgs/s, ${mb.toFixed(1)} MB/s (${msgs} msgs, avg ${Math.round(bytes / Math.max(msgs, 1))} B)`,
    );
  }
  console.log(`median: ${Math.round(median(rates)).toLocaleString('en-US')} msgs/s, ${median(mbs).toFixed(1)} MB/s`);
  await dispatcher.close();
  worker.postMessage('stop');
  await new Promise((resolve) => worker.once('exit', resolve));
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  void runSimulatorWorker();
}
