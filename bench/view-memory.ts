// Memory of the state store's view of the pipeline bench's 100,000 pumpup rows (every streaming producer of
// the simulator's model), decoded and normalized as the client does, without Node-RED: the JS heap and the
// ArrayBuffer memory (the store's typed columns, lib/state/column-store.ts) it holds after full GCs.
//
//   npm run build && node --expose-gc dist/bench/view-memory.js [rows]
import { decodeFrame, type DecodedMessage } from '../lib/frames/decode';
import { toAnalyticsMessage } from '../lib/frames/message';
import { schemaFromDescriptor, type ProducerSchema } from '../lib/frames/producer-schema';
import { StateStore } from '../lib/state/index';
import { createModel } from '../simulator/model/index';
import { FrameFactory, streamingProducers } from './harness/frames';

const ROWS = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  process.stderr.write('run with node --expose-gc\n');
  process.exit(2);
}

/** Frames as strings, and the producers' schemas; the model and its Buffers are dropped before measuring. */
function build(): { frames: string[]; schemas: Map<string, ProducerSchema> } {
  const model = createModel({ seed: 1, agents: 23_000 });
  const producers = streamingProducers(model);
  const schemas = new Map<string, ProducerSchema>();
  for (const p of producers) {
    const schema = schemaFromDescriptor(model.producer(p));
    if (schema !== null) schemas.set(p, schema);
  }
  const sent = new FrameFactory(model, 'supervisor1', 'object').pumpup(producers, ROWS).frames;
  return { frames: sent.slice(0, ROWS).map((b) => b.toString()), schemas };
}

async function held(): Promise<{ heap: number; buffers: number }> {
  await new Promise((resolve) => setTimeout(resolve, 300)); // ArrayBuffers are freed after the GC that finds them
  for (let i = 0; i < 4; i++) gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

async function main(): Promise<void> {
  const { frames, schemas } = build();
  const before = await held();
  const store = new StateStore();
  for (const frame of frames) {
    const decoded = decodeFrame(frame) as DecodedMessage;
    const schema = schemas.get(decoded.producerId ?? '');
    if (schema === undefined) continue;
    const m = toAnalyticsMessage(decoded, schema, 'src', true, 0);
    store.apply(
      { producer: m.producerId, dimension: m.dimension, payload: m.measures, pumpup: true, topic: m.key },
      false,
    );
  }
  for (const p of schemas.keys()) store.pumpupComplete(p);
  const after = await held(); // the frames are still held, as they were before
  const heap = after.heap - before.heap;
  const buffers = after.buffers - before.buffers;
  const mb = (n: number): string => (n / 1048576).toFixed(1);
  process.stdout.write(
    `view-memory: ${store.size} entities: heap ${mb(heap)} MB + array buffers ${mb(buffers)} MB = ` +
      `${mb(heap + buffers)} MB, ${Math.round((heap + buffers) / store.size)} B per entity (node ${process.version})\n`,
  );
  if (frames.length === 0) process.stdout.write('no frames\n'); // keeps them alive up to the measurement
}

void main();
