// Run by test/lib/data-message.test.ts in a process of its own, under `node --allow-natives-syntax`, for V8's own
// answers: whether a data msg is still made in the young generation after a backlog of them outlived its
// collections (as a pumpup's rows do, queued in Node-RED's deliveries), and whether the state node's outputs keep
// one hidden class; and the same youth for the mqtt node's publishes. Prints one JSON line.
import { PublishMessageObject, recordTopic, readBrokerMessage } from '../../lib/broker';
import { dataMessage } from '../../lib/flow-messages';
import type { DataMessage } from '../../lib/flow-messages';
import { StateStore } from '../../lib/state';
import { changeMessage, LabelBook } from '../../nodes/avaya-analytics-state/outputs';

// eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8's natives, only in this child process
const inYoung = new Function('o', 'return %InYoungGeneration(o)') as (o: object) => boolean;
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- as above
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const PRODUCER = 'Agent_SoD_3.5';
const BACKLOG = Number(process.argv[2] ?? 1_500_000);

function fromClient(i: number): DataMessage {
  const agentId = String(1000 + (i % 200));
  return dataMessage(
    {
      kind: 'delta',
      producerId: PRODUCER,
      sourceId: 'S',
      dimension: { agentId },
      measures: { agentState: i % 2 === 0 ? 'AVAILABLE' : 'ACW', counter: i },
      pumpup: false,
      eventAction: 'UPSERT',
      pumpupIdentifier: null,
      key: `${PRODUCER}/agentId=${agentId}`,
      receivedAt: i,
    },
    String(i),
  );
}

function fromBroker(i: number): DataMessage {
  const dimension = { agentId: String(1000 + (i % 200)) };
  const read = readBrokerMessage({
    topic: recordTopic('cc', PRODUCER, dimension),
    payload: { ...dimension, agentState: i % 2 === 0 ? 'AVAILABLE' : 'ACW', counter: i },
  });
  if (read?.kind !== 'data') throw new Error('not a data msg');
  return read.msg;
}

/**
 * Of 1,000 msgs made after `BACKLOG` others were kept alive through the young generation's collections: how many
 * are young.
 */
function youngAfterBacklog(make: (i: number) => object): number {
  const kept: object[] = [];
  for (let i = 0; i < BACKLOG; i++) kept.push(make(i));
  kept.length = 0; // the backlog is gone: what is made now is what steady traffic gets
  let young = 0;
  for (let i = 0; i < 1000; i++) if (inYoung(make(i))) young++;
  return young;
}

/**
 * Of 2,000 outputs of a state node (its changeMessage, over 200 agents), how many have the hidden class of the one
 * before.
 */
function outputsSharingAClass(make: (i: number) => DataMessage): number {
  const store = new StateStore();
  const labels = new LabelBook();
  let last: object | null = null;
  let same = 0;
  for (let i = 0; i < 2200; i++) {
    const msg = make(i);
    const change = store.apply(msg, true);
    if (change === null || change.kind === 'rejected') throw new Error('no change');
    const out = changeMessage(msg, change, store, labels, msg.dimension);
    if (i >= 200 && last !== null && sameMap(last, out)) same++; // from the second pass over the agents on
    last = out;
  }
  return same;
}

/** What the avaya-analytics-mqtt node publishes for a record (its JSON held by the msg). */
function publish(i: number): object {
  return new PublishMessageObject(`cc/record/${PRODUCER}/agentId/${i % 200}`, `{"counter":${i}}`, true, 1);
}

const which = process.argv[3];
const made = which === 'client' ? fromClient : which === 'broker' ? fromBroker : null;
const out = made === null ? publish : made;
process.stdout.write(
  JSON.stringify({
    young: youngAfterBacklog(out),
    sameClass: made === null ? null : outputsSharingAClass(made),
    plain: Object.getPrototypeOf(out(1)) === Object.prototype,
  }) + '\n',
);
