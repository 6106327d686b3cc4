// The alert node's cost (issue 17): 10,000 agents × 3 rules at a steady 2,000 deltas/s through the
// alert engine (the node's own view and evaluation, what its input handler runs per msg), on real
// timers. Reports CPU % of one core, heap after the run, and how late raises fire (due = the time the
// condition started + the rule's duration; lateness = when the raise went out − due), p50/p99/max.
//
//   npm run bench:alert                       # 60 s
//   node --expose-gc dist/bench/alert-cost.js --seconds 30 --agents 10000 --rate 2000
import { AlertEngine, parseRules, type AlertEvent } from '../lib/alert/index';
import { dataMessage } from '../lib/flow-messages';
import { MessageIds } from '../lib/message-ids';
import { entityKey } from '../lib/entity-key';

const args = process.argv.slice(2);
function arg(name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}
const SECONDS = arg('seconds', 60);
const AGENTS = arg('agents', 10_000);
const RATE = arg('rate', 2_000);
const PRODUCER = 'Agent_SoD_3.5';
const TICK_MS = 10;

const { rules } = parseRules([
  {
    id: 'nr',
    field: 'agentState',
    op: 'eq',
    value: 'NOT_READY',
    duration: '10s',
    durationBy: 'nrReasonCodeName',
    durations: [{ value: 'Lunch', duration: '20s' }],
    clearDelay: '2s',
  },
  { id: 'busy', field: 'agentState', op: 'eq', value: 'BUSY', duration: '15s', repeat: '5s' },
  { id: 'acw', field: 'agentState', op: 'in', value: 'AFTER_CONTACT_WORK, WORK', duration: '3s' },
]);

const lateness: number[] = [];
let raises = 0;
let repeats = 0;
let clears = 0;
let measuring = false;
const engine = new AlertEngine(rules, {
  emit: (e: AlertEvent) => {
    if (e.alert === 'raise') raises++;
    else if (e.alert === 'repeat') repeats++;
    else clears++;
    if (!measuring || e.alert === 'clear') return;
    const due = e.alert === 'raise' ? e.since + e.limitMs : e.raisedAt + e.repeats * e.rule.repeatMs;
    lateness.push(Date.now() - due);
  },
});

const ids = new MessageIds();
const STATES = ['READY', 'NOT_READY', 'BUSY', 'AFTER_CONTACT_WORK'];
const REASONS = ['Lunch', 'Break', 'Coffee', 'Meeting'];
let seed = 42;
/** xorshift32: repeatable, and its low bits are not periodic like a plain LCG's. */
const rnd = (n: number): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};

function delta(i: number, pumpup: boolean): void {
  const dimension = { agentId: `agent${i}` };
  const now = Date.now();
  const state = STATES[rnd(STATES.length)];
  const measures: Record<string, unknown> = {
    agentState: state,
    lastStateChangeTimestamp: now,
    nrReasonCodeName: state === 'NOT_READY' ? REASONS[rnd(4)] : '',
  };
  if (pumpup) Object.assign(measures, { agentDisplayName: `Agent ${i}`, offered: 0, answered: 0 });
  else measures.offered = rnd(100);
  engine.data(
    dataMessage(
      {
        kind: pumpup ? 'pumpup' : 'delta',
        producerId: PRODUCER,
        sourceId: 'bench',
        dimension,
        measures,
        pumpup,
        eventAction: 'UPSERT',
        pumpupIdentifier: null,
        key: entityKey(PRODUCER, dimension),
        receivedAt: now,
      },
      ids.next(),
    ),
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  engine.lifecycle('subscribed', PRODUCER);
  for (let i = 0; i < AGENTS; i++) delta(i, true);
  engine.lifecycle('pumpupComplete', PRODUCER);
  measuring = true;
  const gc = (globalThis as { gc?: () => void }).gc;
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  let sent = 0;
  let peakTimers = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Date.now() - t0;
      const due = Math.floor((elapsed / 1000) * RATE);
      while (sent < due) {
        delta(rnd(AGENTS), false);
        sent++;
      }
      peakTimers = Math.max(peakTimers, engine.timers.armed ? 1 : 0);
      if (elapsed >= SECONDS * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  const wall = Date.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  gc?.();
  const heap = process.memoryUsage().heapUsed;
  const scheduled = engine.timers.scheduled;
  engine.stop();
  const sorted = [...lateness].sort((a, b) => a - b);
  const out = {
    agents: AGENTS,
    rules: rules.length,
    seconds: Math.round(wall / 1000),
    deltasPerSecond: Math.round((sent / wall) * 1000),
    cpuPercentOfOneCore: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 1000) / 10,
    heapMB: Math.round(heap / 1e5) / 10,
    heapMeasuredAfterGc: gc !== undefined,
    raises,
    repeats,
    clears,
    tracked: engine.tracked,
    scheduled,
    timersArmedAtOnce: peakTimers,
    latenessMs: {
      count: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1],
    },
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

void main();
