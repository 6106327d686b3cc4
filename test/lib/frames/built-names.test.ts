import assert from 'node:assert/strict';
import { takeBuiltNames } from '../../../lib/frames/built-names';
import { decodeFrame, type DecodedMessage } from '../../../lib/frames/decode';
import { FrameTemplates } from '../../../lib/frames/frame-template';

/** A short-envelope row of `width` counters (a dictionary-mode object from 128 names on), plus `extra`. */
function row(agentId: string, width: number, extra: Record<string, unknown> = {}): Buffer {
  const realtimeData: Record<string, unknown> = { agentState: 'READY' };
  for (let i = 0; i < width; i++) realtimeData[`queued${i}`] = (i * 31) % 977;
  return Buffer.from(
    JSON.stringify({ dimension: { agentId }, realtimeData: { ...realtimeData, ...extra }, pumpup: false }),
  );
}

/** Decodes rows of this width until the templates read one, and returns that decoding. */
function readByTemplate(templates: FrameTemplates, width: number, extra: Record<string, unknown> = {}): DecodedMessage {
  for (let i = 0; i < 200; i++) {
    const bytes = row(`a${i}`, width, extra);
    const readable = templates.read(bytes) !== null;
    const frame = decodeFrame(bytes, false, Infinity, undefined, templates);
    assert.equal(frame.type, 'message');
    if (readable && frame.type === 'message') return frame;
  }
  throw new Error('no template learned the layout');
}

describe('built names (lib/frames/built-names.ts)', () => {
  it('keeps the names of a wide row a template built, in enumeration order, until they are taken', () => {
    const frame = readByTemplate(new FrameTemplates(), 300);
    const names = takeBuiltNames(frame.realtimeData);
    assert.deepEqual(names, Object.keys(frame.realtimeData));
    assert.equal(names?.length, 301);
    assert.equal(takeBuiltNames(frame.realtimeData), undefined, 'taken once');
  });

  it('keeps none for a narrow row, a row parsed the usual way, or a non-object', () => {
    const narrow = readByTemplate(new FrameTemplates(), 90);
    assert.equal(takeBuiltNames(narrow.realtimeData), undefined, 'a narrow row is a fast-mode object');
    const parsed = decodeFrame(row('p1', 300), false, Infinity, undefined, new FrameTemplates());
    assert.ok(parsed.type === 'message');
    assert.equal(takeBuiltNames(parsed.realtimeData), undefined, 'JSON.parse built it: its names are not known');
    assert.equal(takeBuiltNames(null), undefined);
    assert.equal(takeBuiltNames('queued1'), undefined);
  });

  it('keeps none when the decoder deleted a measure of the row (the names would list it)', () => {
    const templates = new FrameTemplates();
    readByTemplate(templates, 300);
    const frame = readByTemplate(templates, 300, { queued7: 'x'.repeat(1500) }); // over MAX_STRING_CHARS: dropped
    assert.equal(frame.dropped?.longStrings, 1);
    assert.equal('queued7' in frame.realtimeData, false);
    assert.equal(takeBuiltNames(frame.realtimeData), undefined);
  });
});
