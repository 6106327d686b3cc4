// `npm run bench`: the package's pipeline side by side with the JavaScript limit and a do-it-yourself
// core-node flow, on the same pre-encoded frames from the same sender process. See bench/README.md.
//
//   node dist/bench/run.js --help   (the flags; bench/README.md explains them)
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Child } from './harness/child';
import type {
  CaseName,
  ContenderKind,
  FromReceiver,
  FromSender,
  ReceiverOptions,
  SenderOptions,
  ToReceiver,
  ToSender,
} from './harness/messages';
import { median } from './harness/stats';

const USAGE = `Usage: node dist/bench/run.js [--quick] [--runs 3] [--processes 1] [--steady-seconds 60] [--steady-warmup 5] [--steady-side-by-side]
         [--only limit,floor,ours,diy] [--cases small,rows,large,pumpup,steady,memory,scale] [--scale 1000,10000,100000] [--scale-seconds 5]
         [--scale-limit] [--sender-nice 19] [--encoding object|mixed] [--profile <dir>]   (bench/README.md)
`;

// An unknown or malformed flag: a usage line and exit code 2, not a stack trace.
const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        help: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        runs: { type: 'string' },
        processes: { type: 'string' },
        'steady-seconds': { type: 'string' },
        'steady-warmup': { type: 'string' },
        'steady-side-by-side': { type: 'boolean', default: false },
        only: { type: 'string', default: 'limit,floor,ours,diy' },
        cases: { type: 'string', default: 'small,rows,large,pumpup,steady,memory,scale' },
        scale: { type: 'string', default: '1000,10000,100000' },
        'scale-seconds': { type: 'string' },
        'scale-limit': { type: 'boolean', default: false },
        'sender-nice': { type: 'string', default: '19' },
        encoding: { type: 'string', default: 'object' },
        profile: { type: 'string' },
      },
    });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
})();

if (args.help === true) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const quick = args.quick === true;
const RUNS = Number(args.runs ?? (quick ? 1 : 3));
/**
 * Fresh processes per contender, the runs shared out among them, one round of processes after another (see round).
 * The quick mode gives each run its own process, so that no one process decides a ratio.
 */
const PROCESSES = Math.min(RUNS, Number(args.processes ?? (quick ? RUNS : 1)));
if (!Number.isInteger(PROCESSES) || PROCESSES < 1) {
  process.stderr.write(`--processes must be a whole number from 1 to --runs\n${USAGE}`);
  process.exit(2);
}
/** The measured runs of each case in the process of this round: --runs in all, shared out (3 over 2: 2, 1). */
function runsIn(round: number): number {
  return Math.floor(RUNS / PROCESSES) + (round < RUNS % PROCESSES ? 1 : 0);
}
const STEADY_SECONDS = Number(args['steady-seconds'] ?? (quick ? 10 : 60));
/**
 * The steady case side by side: every contender's lap and window at once (each its own copy of every frame), instead
 * of contender after contender. Not for the goals: each then also pays for its neighbours' traffic through the
 * caches, which adds about as much to every contender and narrows the ratios (bench/README.md, seventeenth round).
 */
const STEADY_SIDE_BY_SIDE = args['steady-side-by-side'] === true;
const STEADY_RATE = 2000;
const SCALE_SIZES = (args.scale ?? '')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const SCALE_SECONDS = Number(args['scale-seconds'] ?? 5);
const KINDS = (args.only ?? '')
  .split(',')
  .filter((k): k is ContenderKind => k === 'limit' || k === 'floor' || k === 'ours' || k === 'diy');
const CASES = new Set((args.cases ?? '').split(','));
const THROUGHPUT: Array<{ name: CaseName; count: number; label: string }> = [
  { name: 'small' as const, count: quick ? 60_000 : 200_000, label: 'small deltas' },
  { name: 'rows' as const, count: quick ? 20_000 : 50_000, label: 'agent rows' },
  { name: 'large' as const, count: quick ? 1_000 : 4_000, label: 'large frames' },
].filter((c) => CASES.has(c.name));
const SENDER: SenderOptions = {
  pumpupAgents: 23_000,
  pumpupRows: 100_000,
  agents: 10_000,
  memoryAgents: 10_000,
  memoryMeasures: 80,
  encoding: args.encoding === 'mixed' ? 'mixed' : 'object',
  nice: Number(args['sender-nice'] ?? 19),
};

/**
 * The steady case's lap: its frames (one per agent) at its rate, between the settling collections and the window.
 * Without it the window opened right after three forced full GCs, and its first seconds measured their aftermath,
 * not a steady state: the first third of a 10-second window cost every contender more than the two others (ours
 * 18.9-20.0 % of a core against 10.3-11.5, the floor 12.9-15.8 against 8.8-11.4), with or without a lap before the
 * collections, and with bytecode flushing off too.
 */
const STEADY_WARMUP_SECONDS = Number(args['steady-warmup'] ?? SENDER.agents / STEADY_RATE);

type Sender = Child<ToSender, FromSender>;
type Receiver = Child<ToReceiver, FromReceiver>;

interface Cell {
  /** The median of the runs. */
  value: number;
  /** Every run's figure (the spread: min / median / max), when there were several. */
  runs?: number[];
  /** The three equal parts of a single steady window (their spread is shown when there is one run). */
  parts?: number[];
  /** Which side saturated: the receiver when the sender had to wait for the socket to drain. */
  bound?: 'receiver' | 'sender';
  senderCpu?: number;
  /** The sender's CPU of each process's runs, once figures of several processes are joined. */
  senderRuns?: number[];
}
const table = new Map<string, Map<ContenderKind, Cell>>();
/** Records a figure; a second process's figure for the same row joins the runs, and the median is recomputed. */
function put(row: string, kind: ContenderKind, cell: Cell): void {
  if (!table.has(row)) table.set(row, new Map());
  const cells = table.get(row)!;
  const before = cells.get(kind);
  if (before === undefined) {
    cells.set(kind, cell);
    return;
  }
  const runs = [...(before.runs ?? [before.value]), ...(cell.runs ?? [cell.value])];
  const senderRuns = [before, cell].flatMap((c) => c.senderRuns ?? (c.senderCpu === undefined ? [] : [c.senderCpu]));
  cells.set(kind, {
    value: median(runs),
    runs,
    bound: before.bound === 'receiver' || cell.bound === 'receiver' ? 'receiver' : (before.bound ?? cell.bound),
    senderCpu: senderRuns.length === 0 ? undefined : median(senderRuns),
    senderRuns,
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (line: string): void => void process.stderr.write(line + '\n');

/** Until a new contender's socket carries `streams` streams: its redirects since `redirects`, to the latest socket. */
async function waitForStreams(sender: Sender, streams: number, redirects: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await senderStatus(sender);
    if (status.redirects >= redirects + streams && status.streams >= streams) return;
    if (Date.now() > deadline) throw new Error(`the contender subscribed to fewer than ${streams} streams`);
    await sleep(100);
  }
}

async function startReceiver(
  kind: ContenderKind,
  ready: Extract<FromSender, { op: 'ready' }>,
  sender: Sender,
): Promise<Receiver> {
  const execArgv = ['--expose-gc'];
  // BENCH_NODE_FLAGS: V8/node flags for the contender processes only (e.g. --trace-gc, which NODE_OPTIONS refuses).
  if (process.env.BENCH_NODE_FLAGS) execArgv.push(...process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean));
  if (args.profile)
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${path.resolve(args.profile)}`,
      `--cpu-prof-name=${kind}-${Date.now()}.cpuprofile`,
    );
  const options: ReceiverOptions = {
    kind,
    restUrl: ready.restUrl,
    username: ready.username,
    password: ready.password,
    producers: ready.producers,
    maxEntities: 200_000,
  };
  // Other contenders' sockets may be open (see round): this one's redirects are counted from here.
  const { redirects } = await senderStatus(sender);
  const receiver: Receiver = new Child(path.join(__dirname, 'harness', 'receiver.js'), options, execArgv);
  try {
    await receiver.next('ready', 60_000);
    await waitForStreams(sender, ready.producers.length, redirects);
  } catch (err) {
    await receiver.exit({ op: 'exit' }); // not yet in the caller's hands: it would outlive the bench
    throw err;
  }
  await sleep(1000); // the empty pumpups of the redirects reach every contender's end
  return receiver;
}

/**
 * The contenders of a round in turn `turn`, each given its turn as it comes: the sender's frames then go to its socket.
 * The order rotates from turn to turn, so that what one contender leaves behind (a collection of its heap after its
 * run, on the other core) does not always fall on the same next one.
 */
function* inTurn(
  sender: Sender,
  receivers: ReadonlyMap<ContenderKind, Receiver>,
  turn: number,
): Generator<[ContenderKind, Receiver]> {
  const all = [...receivers];
  const shift = turn % all.length;
  for (const [kind, receiver] of [...all.slice(shift), ...all.slice(0, shift)]) {
    sender.send({ op: 'target', kind });
    yield [kind, receiver];
  }
}

/** The bare clients keep no view: they count the pumpupComplete frames among their outputs, and hold no memory case. */
function keepsNoState(kind: ContenderKind): boolean {
  return kind === 'limit' || kind === 'floor';
}

/** One blast: arm the receiver for `target` outputs, have the sender write `count` frames, wait for both. */
async function blast(sender: Sender, receiver: Receiver, name: CaseName, count: number, target: number) {
  const armed = receiver.next('armed');
  receiver.send({ op: 'arm', target, latency: false });
  await armed;
  const done = receiver.next('done', 120_000);
  const blasted = sender.next('blasted', 120_000);
  sender.send({ op: 'blast', name, count });
  const [d, b] = await Promise.all([done, blasted]).catch(async (err: unknown) => {
    const reply = receiver.next('count', 5000);
    receiver.send({ op: 'count' });
    throw new Error(
      `${name}: ${(await reply).count} of ${target} outputs arrived (${err instanceof Error ? err.message : String(err)})`,
    );
  });
  await sleep(300);
  const seconds = (d.lastUs - b.firstUs) / 1e6;
  return {
    seconds,
    rate: count / seconds,
    // The contender's CPU (every thread of its process) per frame: unlike the rate, it does not count the time the
    // process waited for a core another job held (steal on a shared VM).
    cpuPerMsgUs: d.cpuUs / count,
    bound: b.drainWaits > 0 ? ('receiver' as const) : ('sender' as const),
    senderCpu: b.cpuUs / 1e6 / seconds,
  };
}

async function heap(receiver: Receiver): Promise<number> {
  const reply = receiver.next('heap');
  receiver.send({ op: 'heap' });
  return (await reply).heapUsed;
}

/**
 * One round (`round` counts from 0): a fresh process of every contender, alive side by side. The throughput cases'
 * runs take turns by contender (floor, ours, diy, then ours, diy, floor, …: see inTurn), so that the runs compared are
 * seconds apart; the pumpup and steady cases go contender after contender (a steady window is one per process). This
 * machine's speed drifts in time (a VM's neighbours): measured one whole process after another, as until the eleventh
 * round, contenders were compared across different minutes of it.
 */
async function round(sender: Sender, ready: Extract<FromSender, { op: 'ready' }>, round: number): Promise<void> {
  const runs = runsIn(round);
  const receivers = new Map<ContenderKind, Receiver>();
  try {
    for (const kind of KINDS) {
      log(PROCESSES > 1 ? `${kind} (process ${round + 1} of ${PROCESSES}) starts` : `${kind} starts`);
      receivers.set(kind, await startReceiver(kind, ready, sender));
      sender.send({ op: 'tag', kind });
    }
    // The large frames run last: their 1,600 synthetic counters give the Agent producer 1,600 columns,
    // so a measure first seen after them (the steady case's stamp) would get column 1,606 and every
    // record holding it an array that wide — a cost of this synthetic row that no real feed has.
    for (const c of THROUGHPUT) if (c.name !== 'large') await throughput(receivers, sender, ready, c, runs, round);
    if (CASES.has('pumpup'))
      for (const [kind, receiver] of inTurn(sender, receivers, round)) {
        const markers = keepsNoState(kind) ? ready.producers.length : 0;
        await pumpup(kind, sender, receiver, ready, markers, runs);
      }
    if (CASES.has('steady') && STEADY_SIDE_BY_SIDE) await steady([...receivers], sender);
    else if (CASES.has('steady'))
      for (const [kind, receiver] of inTurn(sender, receivers, round)) await steady([[kind, receiver]], sender);
    for (const c of THROUGHPUT) if (c.name === 'large') await throughput(receivers, sender, ready, c, runs, round);
  } finally {
    for (const receiver of receivers.values()) await receiver.exit({ op: 'exit' });
  }
}

/** The scale and memory cases of a contender, after the last round: a fresh process each. */
async function lastCases(kind: ContenderKind, sender: Sender, ready: Extract<FromSender, { op: 'ready' }>) {
  // The limit keeps nothing (its curve is flat: ~9 % of a core, no heap per entity); --scale-limit adds it.
  if (CASES.has('scale') && (kind !== 'limit' || args['scale-limit'] === true))
    for (const n of SCALE_SIZES) await scale(kind, sender, ready, n);
  if (keepsNoState(kind) || !CASES.has('memory')) return;
  const receiver = await startReceiver(kind, ready, sender);
  try {
    const before = await heap(receiver);
    await blast(sender, receiver, 'memory', SENDER.memoryAgents, SENDER.memoryAgents);
    await sleep(500);
    const after = await heap(receiver);
    put(`memory: ${SENDER.memoryAgents / 1000}k agents × ${SENDER.memoryMeasures} measures, heap MB`, kind, {
      value: (after - before) / 1048576,
    });
    log(`  ${kind} memory: ${((after - before) / 1048576).toFixed(1)} MB (heap ${(after / 1048576).toFixed(0)} MB)`);
  } finally {
    await receiver.exit({ op: 'exit' });
  }
}

/**
 * The scale curve: a fresh contender, an (unrequested) pumpup of `entities` distinct agents with every Agent
 * measure, then the steady rate over those same agents for SCALE_SECONDS: CPU % of one core (min / median / max
 * of three equal parts of the window) and the heap it holds per entity (after full GCs, minus before the pumpup).
 */
async function scale(
  kind: ContenderKind,
  sender: Sender,
  ready: Extract<FromSender, { op: 'ready' }>,
  entities: number,
): Promise<void> {
  const scaled = sender.next('scaled', 120_000);
  sender.send({ op: 'scale', entities });
  await scaled;
  const receiver = await startReceiver(kind, ready, sender);
  try {
    const markers = keepsNoState(kind) ? 1 : 0;
    const before = await heap(receiver);
    await blast(sender, receiver, 'scale', entities, entities + markers);
    await sleep(500);
    await heap(receiver);
    await sleep(500);
    const d = (await steadyWindow([receiver], sender, SCALE_SECONDS, true))[0]!;
    const after = await heap(receiver);
    const label = `scale ${entities.toLocaleString('en-US')} entities, ${STEADY_RATE} msg/s`;
    const cpu = (100 * d.cpuUs) / d.wallUs;
    put(`${label}: CPU % of one core`, kind, { value: cpu, parts: d.segmentCpuPct });
    put(`${label}: heap per entity after GC, bytes`, kind, { value: (after - before) / entities });
    log(
      `  ${kind} scale ${entities}: cpu ${cpu.toFixed(1)}% (${d.segmentCpuPct.map((x) => x.toFixed(1)).join(', ')}), ` +
        `p99 ${(d.p99Us / 1000).toFixed(2)} ms, heap ${((after - before) / 1048576).toFixed(1)} MB = ${Math.round((after - before) / entities)} B/entity`,
    );
  } finally {
    await receiver.exit({ op: 'exit' });
  }
}

/**
 * A throughput case in every contender of the round: a warm-up run each, then the measured runs in turns (the order
 * rotating from run to run and from round to round: inTurn).
 */
async function throughput(
  receivers: ReadonlyMap<ContenderKind, Receiver>,
  sender: Sender,
  ready: Extract<FromSender, { op: 'ready' }>,
  c: (typeof THROUGHPUT)[number],
  count: number,
  round: number,
): Promise<void> {
  // A warm-up run of the full count: after one of a quarter, the first measured run was still the slowest of a
  // process for every contender (floor agent rows 21.8k and 26.4k msg/s against 47-65k for the next two).
  for (const [, receiver] of inTurn(sender, receivers, round)) await blast(sender, receiver, c.name, c.count, c.count);
  const runs = new Map<ContenderKind, Awaited<ReturnType<typeof blast>>[]>([...receivers.keys()].map((k) => [k, []]));
  for (let r = 0; r < count; r++)
    for (const [kind, receiver] of inTurn(sender, receivers, round + r))
      runs.get(kind)!.push(await blast(sender, receiver, c.name, c.count, c.count));
  for (const [kind, list] of runs) putThroughput(kind, ready, c, list);
}

function putThroughput(
  kind: ContenderKind,
  ready: Extract<FromSender, { op: 'ready' }>,
  c: (typeof THROUGHPUT)[number],
  runs: Awaited<ReturnType<typeof blast>>[],
): void {
  const rate = median(runs.map((x) => x.rate));
  const mid = runs.find((x) => x.rate === rate) ?? runs[0]!;
  put(`${c.label} (${ready.sizes[c.name]} B), msg/s`, kind, {
    value: rate,
    runs: runs.map((x) => x.rate),
    bound: mid.bound,
    senderCpu: median(runs.map((x) => x.senderCpu)),
  });
  const cpu = runs.map((x) => x.cpuPerMsgUs);
  put(`${c.label} (${ready.sizes[c.name]} B): ${CPU_PER_MSG}`, kind, { value: median(cpu), runs: cpu });
  log(
    `  ${kind} ${c.name}: ${runs.map((x) => Math.round(x.rate)).join(', ')} msg/s, ${cpu.map((x) => x.toFixed(1)).join(', ')} µs of CPU per msg (sender ${runs.map((x) => (100 * x.senderCpu).toFixed(0)).join(', ')} % of a core)`,
  );
}

/**
 * The pumpup case. For ours the pumpup is a real one, as after a reconnect: every subscribe node asks
 * for it (its subscriptionRedirect goes unanswered until the blast), so the blast's markers complete
 * the resync and the state node evicts, and drops, what the pumpup did not bring. The figure is the
 * time to the last row's output; the completion pass that follows the markers is not in it.
 *
 * A first pumpup runs before the measured ones, for every contender alike, and has its own row: a
 * reconnect's pumpup meets a warm process whose view already holds the entities, while the first one
 * also pays the JIT's warm-up and (for ours and diy) the insert of every entity, 1.6-1.9× the time of the
 * later ones in a fresh process. Measured among them, it made the median of three runs depend on
 * which run it was.
 */
async function pumpup(
  kind: ContenderKind,
  sender: Sender,
  receiver: Receiver,
  ready: Extract<FromSender, { op: 'ready' }>,
  markers: number,
  count: number,
): Promise<void> {
  const blasts = [];
  for (let r = 0; r <= count; r++) {
    if (kind === 'ours') await requestPumpups(sender, receiver, ready.producers.length);
    blasts.push(await blast(sender, receiver, 'pumpup', SENDER.pumpupRows, SENDER.pumpupRows + markers));
  }
  sender.send({ op: 'hold-markers', on: false });
  // The first is the warm-up pumpup (see above), in a row of its own.
  const [first, ...pumpups] = blasts as [(typeof blasts)[number], ...typeof blasts];
  put(`first pumpup (entities inserted; not in the goals), ms`, kind, {
    value: first.seconds * 1000,
    bound: first.bound,
    senderCpu: first.senderCpu,
  });
  put(`pumpup ${SENDER.pumpupRows / 1000}k rows (${ready.sizes.pumpup} B), ms to complete view`, kind, {
    value: median(pumpups.map((x) => x.seconds * 1000)),
    runs: pumpups.map((x) => x.seconds * 1000),
    bound: pumpups[0]!.bound,
    senderCpu: median(pumpups.map((x) => x.senderCpu)),
  });
  log(
    `  ${kind} pumpup: first ${Math.round(first.seconds * 1000)}, then ${pumpups.map((x) => Math.round(x.seconds * 1000)).join(', ')} ms`,
  );
}

async function requestPumpups(sender: Sender, receiver: Receiver, producers: number): Promise<void> {
  const before = await senderStatus(sender);
  sender.send({ op: 'hold-markers', on: true });
  receiver.send({ op: 'request-pumpups' });
  const deadline = Date.now() + 30_000;
  while ((await senderStatus(sender)).redirects < before.redirects + producers) {
    if (Date.now() > deadline) throw new Error('the subscribe nodes did not ask for a pumpup');
    await sleep(20);
  }
}

async function senderStatus(sender: Sender): Promise<Extract<FromSender, { op: 'status' }>> {
  const reply = sender.next('status');
  sender.send({ op: 'status' });
  return reply;
}

/**
 * `seconds` of stamped frames at the steady rate (the scale case's agents with `scale`), to the target's socket or
 * to each of `kinds`' at once; resolves once sent.
 */
function steadyTraffic(sender: Sender, seconds: number, scale = false, kinds?: ContenderKind[]): Promise<unknown> {
  const steadied = sender.next('steadied', (seconds + 60) * 1000);
  sender.send({ op: 'steady', rate: STEADY_RATE, seconds, scale, kinds });
  return steadied;
}

/**
 * A measured window of steady traffic: each receiver counts its frames, and its CPU in three equal parts. One
 * receiver: on the target's socket; several: side by side, at once (--steady-side-by-side).
 */
async function steadyWindow(
  receivers: readonly Receiver[],
  sender: Sender,
  seconds: number,
  scale = false,
  kinds?: ContenderKind[],
): Promise<Extract<FromReceiver, { op: 'done' }>[]> {
  await Promise.all(
    receivers.map((receiver) => {
      const armed = receiver.next('armed');
      receiver.send({ op: 'arm', target: STEADY_RATE * seconds, latency: true, segments: 3 });
      return armed;
    }),
  );
  const done = Promise.all(receivers.map((receiver) => receiver.next('done', (seconds + 60) * 1000)));
  const [d] = await Promise.all([done, steadyTraffic(sender, seconds, scale, kinds)]);
  return d;
}

/**
 * Steady traffic: from a settled heap (three full GCs, as a long-running process would reach), one unmeasured lap of
 * the same frames at the same rate, then the window. One contender gets it alone, on the target's socket; several
 * (--steady-side-by-side) at once, each its own copy of every frame.
 */
async function steady(contenders: readonly [ContenderKind, Receiver][], sender: Sender): Promise<void> {
  const kinds = contenders.length > 1 ? contenders.map(([kind]) => kind) : undefined;
  const receivers = contenders.map(([, receiver]) => receiver);
  const settled: number[] = [];
  for (const receiver of receivers) settled.push(await heap(receiver));
  if (STEADY_WARMUP_SECONDS > 0) {
    await steadyTraffic(sender, STEADY_WARMUP_SECONDS, false, kinds);
    await sleep(500); // the lap's last frames reach the sink before the window opens
  } else await sleep(1000); // --steady-warmup 0: the window as before the tenth round
  const windows = await steadyWindow(receivers, sender, STEADY_SECONDS, false, kinds);
  const label = `steady ${STEADY_RATE} msg/s × ${STEADY_SECONDS} s`;
  for (let i = 0; i < contenders.length; i++) {
    const [kind, receiver] = contenders[i]!;
    const d = windows[i]!;
    const heapAfter = await heap(receiver);
    put(`${label}: CPU % of one core`, kind, { value: (100 * d.cpuUs) / d.wallUs, parts: d.segmentCpuPct });
    put(`${label}: p50 latency, ms`, kind, { value: d.p50Us / 1000 });
    put(`${label}: p99 latency, ms`, kind, { value: d.p99Us / 1000 });
    put(`${label}: heap after GC, MB`, kind, { value: heapAfter / 1048576 });
    // What the lap and the window left for a full collection: garbage promoted to (or allocated in) the old generation.
    put(`${label}: heap growth before GC, MB`, kind, { value: (d.heapUsed - settled[i]!) / 1048576 });
    log(
      `  ${kind} steady: cpu ${((100 * d.cpuUs) / d.wallUs).toFixed(1)}% (thirds ${d.segmentCpuPct.map((p) => p.toFixed(1)).join(', ')}), p50 ${(d.p50Us / 1000).toFixed(2)} ms, p99 ${(d.p99Us / 1000).toFixed(2)} ms, max ${(d.maxUs / 1000).toFixed(1)} ms, heap ${(d.heapUsed / 1048576).toFixed(0)} MB before GC`,
    );
  }
}

function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (v >= 1000) return Math.round(v).toLocaleString('en-US');
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** The median, and the spread when there were several runs (else the parts of one window): `median (min–max)`. */
function fmtCell(c: Cell | undefined): string {
  if (c === undefined) return fmt(undefined);
  const spread = c.runs !== undefined && c.runs.length > 1 ? c.runs : c.parts;
  if (spread === undefined || spread.length < 2) return fmt(c.value);
  return `${fmt(c.value)} (${fmt(Math.min(...spread))}–${fmt(Math.max(...spread))})`;
}

/** The row of a throughput case that gives the contender's CPU per frame (see blast). */
const CPU_PER_MSG = 'CPU per msg, µs';

/** The throughput rows, where more is better (the steady rows name a rate too, but measure CPU, latency or heap). */
function isThroughput(row: string): boolean {
  return row.endsWith(', msg/s');
}

function printTable(): void {
  const head = ['case', 'limit', 'floor', 'ours', 'diy', 'floor/limit', 'ours/limit', 'ours/floor', 'ours/diy'];
  const rows: string[][] = [head];
  const ORDER = ['small', 'agent rows', 'large', 'first pumpup', 'pumpup', 'steady', 'memory', 'scale'];
  const rank = (name: string): number => ORDER.findIndex((prefix) => name.startsWith(prefix));
  const ordered = [...table].sort((a, b) => rank(a[0]) - rank(b[0])); // stable: rows of one case keep their order
  for (const [name, cells] of ordered) {
    const l = cells.get('limit')?.value;
    const o = cells.get('ours')?.value;
    const d = cells.get('diy')?.value;
    const f = cells.get('floor')?.value;
    const higherIsBetter = isThroughput(name);
    const ratio = (a?: number, b?: number): string =>
      a === undefined || b === undefined ? '—' : (higherIsBetter ? a / b : b / a).toFixed(2) + '×';
    rows.push([
      name,
      fmtCell(cells.get('limit')),
      fmtCell(cells.get('floor')),
      fmtCell(cells.get('ours')),
      fmtCell(cells.get('diy')),
      ratio(f, l),
      ratio(o, l),
      ratio(o, f),
      ratio(o, d),
    ]);
  }
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write('\n' + line(rows[0]!) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  for (const r of rows.slice(1)) process.stdout.write(line(r) + '\n');
  process.stdout.write(
    `\n(figures: median (min–max) of the runs; throughput runs in turns by contender${PROCESSES > 1 ? `, in ${PROCESSES} rounds of processes` : ''};` +
      ' steady and scale CPU of one window: of its three equal parts. ratios of the medians:' +
      ' throughput a/b; times and resources b/a — above 1× means a is better. floor: Node-RED parse + two hops, no work)\n',
  );
  process.stdout.write(`which side saturated (sender CPU % of one core, sender at nice ${SENDER.nice}):\n`);
  for (const [name, cells] of ordered) {
    if (![...cells.values()].some((c) => c.bound !== undefined)) continue; // steady and memory rows pace themselves
    const parts = [...cells].map(
      ([k, c]) =>
        `${k}: ${c.bound ?? '?'}-bound${c.senderCpu !== undefined ? ` (sender ${fmt(c.senderCpu * 100)}%)` : ''}`,
    );
    process.stdout.write(`  ${name.split(',')[0]}: ${parts.join(', ')}\n`);
  }
  printGoals();
}

/** Issue #19's goals, from the medians of this run (a goal whose figures were not measured is skipped). */
function printGoals(): void {
  // A case's figure row, or (cpu) the CPU per msg row that follows it.
  const findRow = (prefix: string, cpu = false): [string, Map<ContenderKind, Cell>] | undefined =>
    [...table].find(([name]) => name.startsWith(prefix) && name.endsWith(CPU_PER_MSG) === cpu);
  const cpuPerMsg = (prefix: string, kind: ContenderKind): number | undefined =>
    findRow(prefix, true)?.[1].get(kind)?.value;
  const find = (prefix: string): Map<ContenderKind, Cell> | undefined => findRow(prefix)?.[1];
  const checks: string[] = [];
  const check = (label: string, ok: boolean, detail: string): void =>
    void checks.push(`  ${ok ? '✔' : '✘'} ${label}: ${detail}`);
  const get = (prefix: string, kind: ContenderKind): number | undefined => find(prefix)?.get(kind)?.value;
  const x = (v: number): string => v.toFixed(2) + '×';
  for (const [prefix, label] of [
    ['agent rows', 'agent rows'],
    ['large frames', 'large frames'],
  ] as const) {
    const o = get(prefix, 'ours');
    const f = get(prefix, 'floor');
    const co = cpuPerMsg(prefix, 'ours');
    const cf = cpuPerMsg(prefix, 'floor');
    // Not the goal (the rate is): the same comparison by CPU per msg, which a core held by another job does not move.
    const byCpu =
      co === undefined || cf === undefined ? '' : ` (by CPU per msg: ${x(cf / co)}, ${fmt(co)} vs ${fmt(cf)} µs)`;
    if (o !== undefined && f !== undefined) check(`ours ≥ 0.85× floor on ${label}`, o / f >= 0.85, x(o / f) + byCpu);
  }
  const po = get('pumpup', 'ours');
  const pf = get('pumpup', 'floor');
  if (po !== undefined && pf !== undefined)
    check("pumpup ≤ 1.25× floor's time", po / pf <= 1.25, `${x(po / pf)} (${fmt(po)} vs ${fmt(pf)} ms)`);
  const so = get('steady', 'ours');
  const sf = get('steady', 'floor');
  if (so !== undefined && sf !== undefined)
    check("steady CPU ≤ 1.25× floor's", so / sf <= 1.25, `${x(so / sf)} (${fmt(so)} vs ${fmt(sf)} %)`);
  const vsDiy: string[] = [];
  let allTwice = true;
  for (const prefix of ['small', 'agent rows', 'large frames', 'pumpup', 'steady', 'memory']) {
    const row = findRow(prefix);
    if (row === undefined) continue;
    const [name, cells] = row;
    const o = cells.get('ours')?.value;
    const d = cells.get('diy')?.value;
    if (o === undefined || d === undefined) continue;
    const throughput = isThroughput(name);
    const r = throughput ? o / d : d / o;
    allTwice &&= r >= 2;
    // A miss shows what the floor (two Node-RED hops doing no work) reached against the same DIY run: the
    // yardstick of any two-hop package (one doing real work meets the goal where the floor misses it only by
    // being cheaper than the floor, as ours is on large frames when the floor's queued frames cost it GC).
    const f = cells.get('floor')?.value;
    const floorVsDiy = f === undefined ? '' : ` (floor ${x(throughput ? f / d : d / f)})`;
    vsDiy.push(`${prefix} ${x(r)}${r >= 2 ? '' : ` ✘${floorVsDiy}`}`);
  }
  if (vsDiy.length > 0) check('ours ≥ 2× DIY on every case', allTwice, vsDiy.join(', '));
  const view = [...table].find(([name]) => name.startsWith('steady') && name.endsWith('heap after GC, MB'))?.[1];
  const vo = view?.get('ours')?.value;
  if (vo !== undefined && CASES.has('pumpup'))
    check('100k-entity view ≤ 80 MB heap after GC', vo <= 80, `${fmt(vo)} MB`);
  const mo = get('memory', 'ours');
  if (mo !== undefined) check('10k × 80 memory case ≤ 15 MB', mo <= 15, `${fmt(mo)} MB`);
  if (checks.length > 0) process.stdout.write('goals of issue #19 (medians of this run):\n' + checks.join('\n') + '\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  log(
    `bench: ${quick ? 'quick' : 'full'} run, ${RUNS} run(s) per figure in ${PROCESSES} process(es) per contender, steady ${STEADY_SECONDS} s, node ${process.version}`,
  );
  // BENCH_SENDER_FLAGS: node flags for the sender process (e.g. --cpu-prof --cpu-prof-dir=prof).
  const sender: Sender = new Child(
    path.join(__dirname, 'harness', 'sender.js'),
    SENDER,
    (process.env.BENCH_SENDER_FLAGS ?? '').split(/\s+/).filter(Boolean),
  );
  const ready = await sender.next('ready', 120_000);
  try {
    for (let r = 0; r < PROCESSES; r++) await round(sender, ready, r);
    for (const kind of KINDS) await lastCases(kind, sender, ready);
  } finally {
    await sender.exit({ op: 'exit' });
  }
  printTable();
  process.stdout.write(`(${((Date.now() - started) / 1000).toFixed(0)} s, ${SENDER.encoding} encoding)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
