// The long chaos soak: the CI test test/reliability/chaos-soak.test.ts for as long as you like, with
// more agents, more traffic and faults at random moments (seeded). The same ChaosLab drives both.
//
//   npm run soak -- --minutes=30 --seed=7 --agents=200 --rate=200 --gap=2-20
//
// Prints one line per fault and checkpoint, then a JSON report: faults survived (by kind), median
// and max recovery time, entities compared at checkpoints, mismatches (must be 0), duplicate
// subscriptions and sockets on the server (must be 0), heap before/after, and what the process still
// held open after everything was closed (must be nothing). Exits 1 if any of those is wrong.
import { ChaosLab, faultSchedule, median, type FaultRecord } from '../test/helpers/chaos-lab';
import { activeResources, heapUsedAfterGc, settleTo } from '../test/helpers/process-resources';
import { USER } from '../test/helpers/node-red-test-helper';

interface SoakArgs {
  minutes: number;
  seed: number;
  agents: number;
  rate: number;
  gapS: [number, number];
  /** A full redeploy after every N faults (0 = none: the client's backoff escalates as it would in production). */
  redeployEvery: number;
}

function parseArgs(argv: string[]): SoakArgs {
  const args: SoakArgs = {
    minutes: 10,
    seed: Date.now() % 1_000_000,
    agents: 200,
    rate: 100,
    gapS: [2, 20],
    redeployEvery: 0,
  };
  for (const arg of argv) {
    const [, name, value] = /^--([a-z-]+)=(.+)$/.exec(arg) ?? [];
    if (!name || value === undefined) throw new Error(`unknown argument ${arg} (use --name=value)`);
    const n = Number(value);
    if (name === 'gap') {
      const [min, max] = value.split('-').map(Number);
      if (!Number.isFinite(min) || !Number.isFinite(max) || min! < 0 || max! < min!)
        throw new Error('--gap=MIN-MAX in seconds');
      args.gapS = [min!, max!];
    } else if (!Number.isFinite(n) || n < 0) {
      throw new Error(`--${name} must be a non-negative number`);
    } else if (name === 'minutes') args.minutes = n;
    else if (name === 'seed') args.seed = n;
    else if (name === 'agents') args.agents = n;
    else if (name === 'rate') args.rate = n;
    else if (name === 'redeploy-every') args.redeployEvery = n;
    else throw new Error(`unknown argument --${name}`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const log = (line: string): void => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(7)}s ${line}`);
  log(
    `soak: ${args.minutes} min, seed ${args.seed}, ${args.agents} agents, ${args.rate} events/s, gaps ${args.gapS.join('-')} s`,
  );

  const before = activeResources();
  const lab = await ChaosLab.start({
    seed: args.seed,
    agents: args.agents,
    rate: args.rate,
    tokenLifetimeSec: 30,
    gapMs: [args.gapS[0] * 1000, args.gapS[1] * 1000],
    checkpointEvery: 5,
    recoveryTimeoutMs: 180_000, // the backoff cap is 60 s; several refused attempts may add up
    log,
  });
  const heapStart = heapUsedAfterGc();
  const deadline = started + args.minutes * 60_000;
  const faults: FaultRecord[] = [];
  let checkpoints = 0;
  let entitiesCompared = 0;
  let mismatches = 0;
  const samples: string[] = [];
  let round = 0;
  let failure: string | null = null;
  try {
    // Rounds of every fault kind in a fresh random order (plus random extras), until time is up.
    while (Date.now() < deadline) {
      const report = await lab.run(faultSchedule(args.seed + round++, 5, args.redeployEvery), deadline);
      faults.push(...report.faults);
      checkpoints += report.checkpoints;
      entitiesCompared += report.entitiesCompared;
      mismatches += report.mismatches;
      samples.push(...report.mismatchSamples);
    }
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  const stats = lab.sim.control.stats();
  const heapEnd = heapUsedAfterGc();
  await lab.close();
  const leaked = await settleTo(before, 10_000);

  const byKind: Record<string, { count: number; medianMs: number; maxMs: number }> = {};
  for (const kind of new Set(faults.map((f) => f.kind))) {
    const times = faults.filter((f) => f.kind === kind).map((f) => f.recoveryMs);
    byKind[kind] = { count: times.length, medianMs: median(times), maxMs: Math.max(...times) };
  }
  const times = faults.map((f) => f.recoveryMs);
  const result = {
    ok:
      failure === null &&
      mismatches === 0 &&
      stats.duplicateSubscriptions === 0 &&
      stats.duplicateSockets === 0 &&
      Object.keys(leaked).length === 0,
    failure: failure ?? undefined,
    minutes: Number(((Date.now() - started) / 60_000).toFixed(1)),
    seed: args.seed,
    faultsSurvived: faults.length,
    recoveryMs: { median: median(times), max: Math.max(0, ...times) },
    byKind,
    checkpoints,
    entitiesCompared,
    mismatches,
    mismatchSamples: samples.slice(0, 10),
    server: {
      duplicateSubscriptions: stats.duplicateSubscriptions,
      duplicateSockets: stats.duplicateSockets,
      logins: stats.logins,
      framesSent: stats.framesSent,
      deltasGenerated: stats.deltasGenerated,
      faults: stats.faults,
      subscriptionsAtEnd: stats.users[USER]?.subscriptions.length,
    },
    heapMiB: { afterStart: +(heapStart / 1048576).toFixed(1), atEnd: +(heapEnd / 1048576).toFixed(1) },
    leakedAfterClose: leaked,
  };
  console.log(JSON.stringify(result, null, 2));
  process.exitCode = result.ok ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
