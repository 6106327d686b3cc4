import assert from 'node:assert/strict';
import { takeBuiltRow } from '../../../lib/frames/built-names';
import { decodeFrame, type DecodedMessage, type MeasureTypesOf } from '../../../lib/frames/decode';
import { FrameTemplates } from '../../../lib/frames/frame-template';
import { toAnalyticsMessage } from '../../../lib/frames/message';
import { buildSchema } from '../../../lib/frames/producer-schema';

/** A short-envelope row of `width` counters (a dictionary-mode object from 128 names on), plus `extra`. */
function row(agentId: string, width: number, extra: Record<string, unknown> = {}): Buffer {
  const realtimeData: Record<string, unknown> = {
    agentState: 'READY',
    reasonCode: 'UNKNOWN',
    lastStateChangeTimestamp: '00000001496919128431',
    queuedCount: '17',
  };
  for (let i = 0; i < width; i++) realtimeData[`queued${i}`] = (i * 31) % 977;
  return Buffer.from(
    JSON.stringify({ dimension: { agentId }, realtimeData: { ...realtimeData, ...extra }, pumpup: false }),
  );
}

/** Decodes rows of this width until the templates read one, and returns that decoding. */
function readByTemplate(
  templates: FrameTemplates,
  width: number,
  extra: Record<string, unknown> = {},
  typesOf?: MeasureTypesOf,
): DecodedMessage {
  for (let i = 0; i < 200; i++) {
    const bytes = row(`a${i}`, width, extra);
    const readable = templates.read(bytes) !== null;
    const frame = decodeFrame(bytes, false, Infinity, typesOf, templates);
    assert.equal(frame.type, 'message');
    if (readable && frame.type === 'message') return frame;
  }
  throw new Error('no template learned the layout');
}

describe('built names (lib/frames/built-names.ts)', () => {
  it('keeps the names of a wide row a template built, in enumeration order, until they are taken', () => {
    const frame = readByTemplate(new FrameTemplates(), 300);
    const kept = takeBuiltRow(frame.realtimeData);
    assert.deepEqual(kept?.names, Object.keys(frame.realtimeData));
    assert.equal(kept?.names.length, 304);
    assert.equal(kept?.values, undefined, 'no types: its strings are normalized after the decoder, so no values');
    assert.equal(takeBuiltRow(frame.realtimeData), undefined, 'taken once');
  });

  it('keeps its values too, normalized, when the decoder normalized them', () => {
    const types: MeasureTypesOf = () => ({ queuedCount: 'NUMBER' });
    const frame = readByTemplate(new FrameTemplates(), 300, {}, types);
    const measures = frame.realtimeData;
    const kept = takeBuiltRow(measures);
    assert.ok(kept?.values !== undefined);
    assert.deepEqual(
      kept.values,
      kept.names.map((name) => measures[name]),
    );
    assert.equal(measures.reasonCode, null, 'UNKNOWN');
    assert.equal(measures.lastStateChangeTimestamp, 1496919128431);
    assert.equal(measures.queuedCount, 17, 'a NUMBER measure');
  });

  it('forgets the values, not the names, when a message is normalized again with other types', () => {
    const frame = readByTemplate(new FrameTemplates(), 300, {}, () => ({}));
    assert.equal(frame.realtimeData.queuedCount, '17', 'not a NUMBER for these types');
    const schema = buildSchema('Agent_SoD_3.5', [], [{ name: 'queuedCount', type: 'NUMBER' }]);
    const message = toAnalyticsMessage(frame, schema, 'src', true, 0);
    assert.equal(message.measures.queuedCount, 17);
    const kept = takeBuiltRow(message.measures);
    assert.deepEqual(kept?.names, Object.keys(message.measures));
    assert.equal(kept?.values, undefined);
  });

  it('keeps the names when the strings are normalized after the decoder, as planned', () => {
    const frame = readByTemplate(new FrameTemplates(), 300);
    const schema = buildSchema('Agent_SoD_3.5', [], [{ name: 'queuedCount', type: 'NUMBER' }]);
    const message = toAnalyticsMessage(frame, schema, 'src', true, 0);
    assert.equal(message.measures.queuedCount, 17);
    assert.deepEqual(takeBuiltRow(message.measures)?.names, Object.keys(message.measures));
  });

  it('keeps none for a narrow row, a row parsed the usual way, or a non-object', () => {
    const narrow = readByTemplate(new FrameTemplates(), 90);
    assert.equal(takeBuiltRow(narrow.realtimeData), undefined, 'a narrow row is a fast-mode object');
    const parsed = decodeFrame(row('p1', 300), false, Infinity, undefined, new FrameTemplates());
    assert.ok(parsed.type === 'message');
    assert.equal(takeBuiltRow(parsed.realtimeData), undefined, 'JSON.parse built it: its names are not known');
    assert.equal(takeBuiltRow(null), undefined);
    assert.equal(takeBuiltRow('queued1'), undefined);
  });

  it('keeps none when the decoder deleted a measure of the row (the names would list it)', () => {
    const templates = new FrameTemplates();
    readByTemplate(templates, 300);
    const frame = readByTemplate(templates, 300, { queued7: 'x'.repeat(1500) }); // over MAX_STRING_CHARS: dropped
    assert.equal(frame.dropped?.longStrings, 1);
    assert.equal('queued7' in frame.realtimeData, false);
    assert.equal(takeBuiltRow(frame.realtimeData), undefined);
  });
});
