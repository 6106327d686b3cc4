// Heap cost of the state store: 10,000 agents × 80 measures (the budget: well under 200 MB;
// issue 8 wants < 100 MB). Frames are built as wire JSON, parsed and normalized like the client does,
// so the strings and numbers the store keeps are the ones a live feed would give it.
//
//   npm run build && node --expose-gc dist/bench/state-memory.js [agents] [measures]
import { normalizeMeasures } from '../lib/frames/normalize';
import { StateStore } from '../lib/state/index';

const AGENTS = Number(process.argv[2] ?? 10_000);
const MEASURES = Number(process.argv[3] ?? 80);
const BUDGET_MB = 100; // issue 8
const PRODUCER = 'Agent_SoD_3.5';
const STATES = ['READY', 'NOT_READY', 'PENDING_NOT_READY', 'LOGGED_OUT'];
const WORK_STATES = ['IDLE', 'BUSY', 'UNAVAILABLE', 'AVAILABLE'];
const T0 = 1_496_919_128_431;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  process.stderr.write('run with node --expose-gc\n');
  process.exit(2);
}

/** Heap plus ArrayBuffer bytes: the store's typed columns live outside the heap (lib/state/column-store.ts). */
function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function pad20(ms: number): string {
  return String(ms).padStart(20, '0');
}

/** Wire realtimeData of one agent: 10 strings, 8 timestamps, the rest counters and durations. */
function agentFrame(i: number, measures: number, rnd: () => number): string {
  const m: Record<string, string | number> = {
    agentState: STATES[i % STATES.length] ?? '',
    workState: WORK_STATES[i % WORK_STATES.length] ?? '',
    nrReasonCode: String(i % 7),
    nrReasonCodeName: i % 2 ? 'DEFAULT' : 'LUNCH',
    agentFirstName: 'First' + i,
    agentLastName: 'Last' + i,
    agentDisplayName: `First${i} Last${i}`,
    supervisorId: 'sup' + (i % 10),
    accountAddress: 'UNKNOWN',
    workLimit: '1',
  };
  for (const name of [
    'lastStateChangeTimestamp',
    'lastStateReasonTimestamp',
    'lastWorkCodeChangeTimestamp',
    'loginTimeStamp',
  ]) {
    m[name] = pad20(T0 + Math.floor(rnd() * 3_600_000));
  }
  for (let k = 0; Object.keys(m).length < 18; k++) m['eventTimestamp' + k] = pad20(T0 + Math.floor(rnd() * 3_600_000));
  for (let k = 0; Object.keys(m).length < measures; k++)
    m['counter' + k] = k % 3 === 0 ? Math.floor(rnd() * 40_000) : Math.floor(rnd() * 20);
  return JSON.stringify({
    dimension: { agentId: 'agent' + i },
    realtimeData: m,
    pumpup: true,
    pumpupComplete: false,
    heartbeat: false,
  });
}

function decode(frame: string): { dimension: Record<string, string>; measures: Record<string, unknown> } {
  const parsed = JSON.parse(frame) as { dimension: Record<string, string>; realtimeData: Record<string, unknown> };
  return { dimension: parsed.dimension, measures: normalizeMeasures(parsed.realtimeData, undefined) };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function main(): void {
  const rnd = mulberry32(42);
  const before = heapUsed();
  const store = new StateStore({ maxEntities: AGENTS });

  for (let i = 0; i < AGENTS; i++) {
    const f = decode(agentFrame(i, MEASURES, rnd));
    store.apply({
      producer: PRODUCER,
      dimension: f.dimension,
      payload: f.measures,
      pumpup: true,
      eventAction: 'UPSERT',
    });
  }
  store.pumpupComplete(PRODUCER);
  // A day's worth of churn on top: every agent changes state a few times.
  for (let n = 0; n < AGENTS * 5; n++) {
    const i = Math.floor(rnd() * AGENTS);
    const frame = JSON.stringify({
      dimension: { agentId: 'agent' + i },
      realtimeData: { agentState: STATES[n % STATES.length], lastStateChangeTimestamp: pad20(T0 + n), counter1: n },
    });
    const f = decode(frame);
    store.apply({
      producer: PRODUCER,
      dimension: f.dimension,
      payload: f.measures,
      pumpup: false,
      eventAction: 'UPSERT',
    });
  }
  const afterStore = heapUsed();

  const persisted = store.toPersisted(); // what a memory context store would hold in addition
  const afterPersisted = heapUsed();
  const persistedBytes = Buffer.byteLength(JSON.stringify(persisted));

  const mb = (bytes: number): string => (bytes / 1048576).toFixed(1);
  const storeBytes = afterStore - before;
  process.stdout.write(
    `state-memory: ${store.size} entities × ${MEASURES} measures (node ${process.version})\n` +
      `  store heap delta:        ${mb(storeBytes)} MB (${Math.round(storeBytes / store.size)} bytes/entity), budget ${BUDGET_MB} MB\n` +
      `  + persisted copy (memory context store): ${mb(afterPersisted - afterStore)} MB heap, ${mb(persistedBytes)} MB as JSON\n`,
  );
  if (persisted.producers.length !== 1 || store.size !== AGENTS)
    throw new Error('bench did not build the expected view');
  if (storeBytes / 1048576 > BUDGET_MB) process.exitCode = 1;
}

main();
