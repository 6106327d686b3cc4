// The state store alone, without Node-RED: ns per pumpup row for StateStore.apply creating the entities,
// then replacing them (the pumpup after every reconnect), and for the record a state node sends. The rows
// are the pipeline bench's pumpup frames (bench/harness/frames.ts: every streaming producer of the
// simulator's model), decoded and normalized as the client does, so the store gets what a live feed gives.
// Each lap flips the rows' `benchLap` measure, so every row is a change, as in the pipeline bench.
//
//   npm run bench:state [-- --rows 100000 --laps 4]
import { parseArgs } from 'node:util';
import { decodeFrame, type DecodedMessage } from '../lib/frames/decode';
import { normalizeMeasures } from '../lib/frames/normalize';
import { entityKey } from '../lib/entity-key';
import { StateStore, type EntityUpdate } from '../lib/state/index';
import { createModel } from '../simulator/model/index';
import { FrameFactory, streamingProducers } from './harness/frames';

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, laps: { type: 'string', default: '4' } },
});
const ROWS = Number(args.rows);
const LAPS = Number(args.laps);

const model = createModel({ seed: 1, agents: 23_000 });
const producers = streamingProducers(model);
// Two laps of ROWS rows: lap 0 and lap 1 differ in benchLap only.
const frames = new FrameFactory(model, 'supervisor1', 'object').pumpup(producers, ROWS).frames;

/** The data msgs of one lap, as the subscribe node sends them (decoded, normalized, keyed). */
function lap(n: number): EntityUpdate[] {
  const out: EntityUpdate[] = [];
  for (let i = n * ROWS; i < (n + 1) * ROWS; i++) {
    const f = decodeFrame(frames[i]!) as DecodedMessage;
    const producer = f.producerId ?? '';
    normalizeMeasures(f.realtimeData, undefined, f.stringMeasures);
    const topic = entityKey(producer, f.dimension);
    out.push({ topic, producer, dimension: f.dimension, payload: f.realtimeData, pumpup: true, eventAction: 'UPSERT' });
  }
  return out;
}

function nsPerRow(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / ROWS;
}

const store = new StateStore();
const complete = (): void => {
  for (const producer of store.producers()) store.pumpupComplete(producer);
};
const rows = (n: number): string => `${Math.round(n).toLocaleString('en-US').padStart(6)} ns`;

let msgs = lap(0);
const created = nsPerRow(() => {
  for (const m of msgs) store.apply(m);
});
complete();
process.stdout.write(`${ROWS.toLocaleString('en-US')} rows of ${producers.length} producers, ${store.size} entities\n`);
process.stdout.write(`apply, creating the entities: ${rows(created)} per row\n`);
for (let l = 1; l <= LAPS; l++) {
  msgs = lap(l % 2);
  let changes = 0;
  const replaced = nsPerRow(() => {
    for (const m of msgs) if (store.apply(m) !== null) changes++;
  });
  const entities = msgs.map((m) => store.get(m.topic as string)!);
  const recorded = nsPerRow(() => {
    for (const e of entities) store.record(e);
  });
  complete();
  process.stdout.write(
    `lap ${l}: apply, replacing: ${rows(replaced)} per row (${changes.toLocaleString('en-US')} changes); ` +
      `record: ${rows(recorded)}\n`,
  );
}
