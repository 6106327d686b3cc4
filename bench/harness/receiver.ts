// One contender, in its own process (forked by run.ts): the bare ws client ("limit"), the package's
// nodes in an embedded Node-RED ("ours"), or the core-node flow ("diy"). It sets up, says ready, then
// counts what arrives at its end (probe.ts) whenever the orchestrator arms it.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import WebSocket from 'ws';
import { subscribeByHand } from './by-hand';
import { nowUs } from './clock';
import { diyFlow, floorFlow, oursFlow } from './flows';
import type { FromReceiver, ReceiverOptions, ToReceiver } from './messages';
import { startNodeRed, type NodeRedHost } from './node-red-host';
import { probe } from './probe';
import { percentile } from './stats';

const options = JSON.parse(process.argv[2] ?? '{}') as ReceiverOptions;
let stop: () => Promise<void> = () => Promise.resolve();
let nodeRed: NodeRedHost | null = null;

function send(message: FromReceiver): void {
  process.send!(message);
}

/** The limit: a ws client that JSON.parses every frame and does nothing else (the handshake by hand). */
async function startLimit(): Promise<void> {
  const hand = await subscribeByHand(options.restUrl, options.username, options.password, options.producers);
  const ws = new WebSocket(hand.endpoint, { perMessageDeflate: false, maxPayload: 1 << 20 });
  const heartbeat = setInterval(() => ws.send('--heartbeat--'), 8000);
  ws.on('message', (data: Buffer) => {
    if (data.length === 13 && data.toString() === '--heartbeat--') {
      ws.send('--heartbeat--');
      return;
    }
    const frame = JSON.parse(data as unknown as string) as {
      heartbeat?: boolean;
      realtimeData?: Record<string, unknown>;
    };
    if (frame.heartbeat === true) return;
    probe.hit(frame.realtimeData);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      for (const r of hand.redirects) ws.send(r);
      resolve();
    });
    ws.once('error', reject);
  });
  stop = () => {
    clearInterval(heartbeat);
    ws.terminate();
    return Promise.resolve();
  };
}

/** The Node-RED floor: parse and two hops, no work (the handshake by hand, like the limit). */
async function startFloor(): Promise<NodeRedHost> {
  const hand = await subscribeByHand(options.restUrl, options.username, options.password, options.producers);
  return startNodeRed(floorFlow(hand.endpoint, hand.redirects), {});
}

async function startOurs(): Promise<NodeRedHost> {
  const flow = oursFlow(options.restUrl, options.producers, options.maxEntities);
  return startNodeRed(flow, { 'bench-server': { username: options.username, password: options.password } });
}

async function startDiy(): Promise<NodeRedHost> {
  const hand = await subscribeByHand(options.restUrl, options.username, options.password, options.producers);
  const host = await startNodeRed(diyFlow(hand.endpoint, hand.redirects), {});
  // Send the redirects once the flow's socket is open (what a user's "on connect" logic would do).
  const deadline = Date.now() + 15_000;
  for (;;) {
    const client = host.getNode('diy-wsc') as { server?: { readyState?: number } } | null;
    if (client?.server?.readyState === WebSocket.OPEN) break;
    if (Date.now() > deadline) throw new Error('the do-it-yourself flow did not connect');
    await new Promise((r) => setTimeout(r, 50));
  }
  (host.getNode('diy-redirects') as { receive(msg: object): void }).receive({});
  return host;
}

/**
 * BENCH_ALLOC_PROFILE=<dir>: samples every allocation of a measured case, garbage included (V8's
 * sampling heap profiler keeps collected objects with these flags), into a .heapprofile per case
 * (open it in Chrome DevTools, or: node dist/bench/profile-top.js <file>.heapprofile). With
 * BENCH_ALLOC_SURVIVORS=1 it keeps only what survived the young generation's collections: what got promoted to the
 * old generation (and, garbage there, left for a major collection), the cost a steady stream should not have.
 */
function startAllocationSampling(): { stop(): void } | null {
  const dir = process.env.BENCH_ALLOC_PROFILE;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.BENCH_ALLOC_SURVIVORS !== '1',
  } as object);
  return {
    stop() {
      session.post('HeapProfiler.stopSampling', (err, result) => {
        if (!err)
          writeFileSync(
            join(dir, `${options.kind}-${process.pid}-${Date.now()}.heapprofile`),
            JSON.stringify(result.profile),
          );
        session.disconnect();
      });
    },
  };
}

process.on('message', (m: ToReceiver) => {
  if (m.op === 'arm') {
    const allocations = startAllocationSampling();
    const cpu0 = process.cpuUsage();
    const t0 = nowUs();
    const segments = m.segments ?? 1;
    const segmentCpuPct: number[] = [];
    let segCpu = cpu0;
    let segT = t0;
    const mark = (): void => {
      const now = nowUs();
      const used = process.cpuUsage(segCpu);
      segmentCpuPct.push((100 * (used.user + used.system)) / (now - segT));
      segCpu = process.cpuUsage();
      segT = now;
    };
    const every = segments > 1 ? Math.floor(m.target / segments) : Infinity;
    probe.arm(
      m.target,
      m.latency,
      (lastUs) => {
        const cpu = process.cpuUsage(cpu0);
        allocations?.stop();
        if (process.env.BENCH_DEBUG)
          process.stderr.write(
            `receiver ${options.kind}: user ${cpu.user / 1000} ms, system ${cpu.system / 1000} ms\n`,
          );
        const lat = probe.sortedLatencies();
        send({
          op: 'done',
          lastUs,
          cpuUs: cpu.user + cpu.system,
          wallUs: lastUs - t0,
          heapUsed: heldBytes(),
          p50Us: percentile(lat, 50),
          p99Us: percentile(lat, 99),
          maxUs: lat.length ? lat[lat.length - 1]! : NaN,
          segmentCpuPct: segmentCpuPct.slice(0, segments),
        });
      },
      every,
      mark,
    );
    send({ op: 'armed' });
  } else if (m.op === 'heap') {
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; gc && i < 3; i++) gc();
    // BENCH_HEAP_SNAPSHOT=<dir>: a heap snapshot per measurement, to see what the heap holds.
    if (process.env.BENCH_HEAP_SNAPSHOT)
      writeHeapSnapshot(
        join(process.env.BENCH_HEAP_SNAPSHOT, `${options.kind}-${process.pid}-${Date.now()}.heapsnapshot`),
      );
    send({ op: 'heap', heapUsed: heldBytes() });
  } else if (m.op === 'request-pumpups') {
    options.producers.forEach((_, i) =>
      (nodeRed?.getNode(`bench-sub-${i}`) as { receive(msg: object): void } | null)?.receive({ action: 'pumpup' }),
    );
  } else if (m.op === 'count') {
    send({ op: 'count', count: probe.count });
  } else if (m.op === 'exit') {
    void stop().finally(() => process.exit(0));
  }
});

(async () => {
  if (options.kind === 'limit') await startLimit();
  else {
    const host =
      options.kind === 'ours' ? await startOurs() : options.kind === 'floor' ? await startFloor() : await startDiy();
    nodeRed = host;
    stop = () => host.stop();
  }
  send({ op: 'ready' });
})().catch((err: unknown) => {
  send({ op: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});

/**
 * The memory the contender holds: the JS heap plus ArrayBuffer memory. The state store keeps its values in
 * typed arrays (lib/state/column-store.ts), whose contents live outside the heap; a heap figure alone would
 * leave them out. Both are counted for every contender alike.
 */
function heldBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
