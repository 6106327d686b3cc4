import assert from 'node:assert/strict';
import { decodeFrame, type Frame, type MeasureTypesOf } from '../../../lib/frames/decode';
import { FrameTemplates, MIN_TEMPLATE_BYTES } from '../../../lib/frames/frame-template';
import { seededRandom } from '../../helpers/seeded-random';

/** A long-envelope agent row of some 1.6 KB: strings, counters, a timestamp, null, booleans. */
function agentRow(agentId: string, extra: Record<string, unknown> = {}): string {
  const realtimeData: Record<string, unknown> = {
    agentId,
    agentFirstName: 'Siobhan',
    agentLastName: 'Collins',
    agentState: 'NOT_READY',
    nrReasonCode: '0',
    workLimit: '1',
    lastStateChangeTimestamp: '00000001496919456478',
    loginTimeStamp: 'UNKNOWN',
  };
  for (let i = 0; i < 60; i++) realtimeData[`counter${i}`] = i % 7;
  Object.assign(realtimeData, extra);
  return JSON.stringify({
    dimension: { agentId },
    realtimeData,
    pumpupIdentifier: null,
    pumpup: false,
    pumpupComplete: false,
    heartbeat: false,
    extra: null,
    sourceId: 'Oceana_Streams_127.0.0.1_3.5',
    producerId: 'Agent_SoD_3.5',
    eventAction: 'UPSERT',
  });
}

/** A short-envelope state change under 1 KB (MIN_TEMPLATE_BYTES), with `extra` measures. */
function smallFrame(agentId: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    dimension: { agentId },
    realtimeData: {
      agentState: 'NOT_READY',
      workLimit: '1',
      lastStateChangeTimestamp: '00000001496919456478',
      ...extra,
    },
    pumpup: false,
    pumpupComplete: false,
    heartbeat: false,
  });
}

/** agentRow with 1,600 more counters: a 32 KB row, wider than WIDE_FIELDS (a prototype-less dictionary). */
function wideRow(agentId: string, extra: Record<string, unknown> = {}): string {
  const counters: Record<string, unknown> = {};
  for (let i = 100; i < 1700; i++) counters[`wide${i}`] = (i * 7919) % 100000;
  return agentRow(agentId, { ...counters, ...extra });
}

const types: MeasureTypesOf = () => ({ workLimit: 'NUMBER', lastStateChangeTimestamp: 'DATE' });

/** Templates that learned agentRow's layout (or another row's). */
function learnedTemplates(row = agentRow): FrameTemplates {
  const templates = new FrameTemplates();
  for (let i = 0; i < 100 && templates.learned === 0; i++)
    decodeFrame(Buffer.from(row(`a${i}`)), false, Infinity, types, templates);
  assert.equal(templates.learned, 1);
  return templates;
}

/** The frame as a comparable text: names in their order, and whether dimension and measures lack a prototype. */
function comparable(frame: Frame): string {
  if (frame.type !== 'message') return JSON.stringify(frame);
  return JSON.stringify([
    frame,
    Object.getPrototypeOf(frame.dimension) === null,
    Object.getPrototypeOf(frame.realtimeData) === null,
  ]);
}

/** Whether a and b are the same: Object.is for scalars (-0 is not 0), same prototypes, names in the same order. */
function strictlyEqual(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const names = Object.keys(a);
  const others = Object.keys(b);
  if (names.length !== others.length || names.some((name, i) => others[i] !== name)) return false;
  return names.every((name) =>
    strictlyEqual((a as Record<string, unknown>)[name], (b as Record<string, unknown>)[name]),
  );
}

/** `base` with the byte at `at` replaced (how 0), a byte inserted before it (1), or it deleted (2). */
function changed(base: Buffer, at: number, byte: number, how: number): Buffer {
  if (how === 0) return Buffer.concat([base.subarray(0, at), Buffer.from([byte]), base.subarray(at + 1)]);
  if (how === 1) return Buffer.concat([base.subarray(0, at), Buffer.from([byte]), base.subarray(at)]);
  return Buffer.concat([base.subarray(0, at), base.subarray(at + 1)]);
}

/** Decodes `text` as bytes with and without the templates: the two must agree. */
function assertSameDecoding(templates: FrameTemplates, text: string | Buffer, note: string): void {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const usual = decodeFrame(Buffer.from(bytes), false, Infinity, types);
  const templated = decodeFrame(bytes, false, Infinity, types, templates);
  assert.equal(comparable(templated), comparable(usual), note);
  assert.ok(strictlyEqual(templated, usual), note);
}

/**
 * Decodes 3,000 frames, each `base` with one byte changed, inserted or deleted (seeded), with and without the
 * templates (they must agree); `after` runs after each. How many the templates read.
 */
function changedFramesAgree(templates: FrameTemplates, base: Buffer, seed: number, after = (): void => {}): number {
  const random = seededRandom(seed);
  const bytes = [...Buffer.from(' \n\t"\\:,{}[]-+.0123456789eEnulltruefalsexé')];
  let read = 0;
  for (let k = 0; k < 3000; k++) {
    const at = Math.floor(random() * base.length);
    const frame = changed(base, at, bytes[Math.floor(random() * bytes.length)] as number, k % 3);
    if (templates.read(frame) !== null) read++;
    const near = frame.toString().slice(Math.max(0, at - 20), at + 20);
    assertSameDecoding(templates, frame, `change ${k} at ${at}: ${near}`);
    after();
  }
  return read;
}

describe('lib/frames/frame-template', () => {
  it('reads a repeated layout from the bytes, to what the usual parse makes of it', () => {
    const templates = learnedTemplates();
    const frame = Buffer.from(agentRow('zz-9', { counter3: 123456789012345, agentFirstName: 'ünïcødé ✓' }));
    assert.notEqual(templates.read(frame), null, 'the template reads another agent of the same layout');
    assertSameDecoding(templates, frame, 'agent zz-9');
    const decoded = decodeFrame(frame, false, Infinity, types, templates);
    assert.equal(decoded.type, 'message');
    if (decoded.type === 'message') {
      assert.equal(decoded.realtimeData.agentFirstName, 'ünïcødé ✓');
      assert.equal(decoded.realtimeData.lastStateChangeTimestamp, 1496919456478, 'normalized after the read');
      assert.equal(decoded.realtimeData.loginTimeStamp, null);
      assert.equal(Object.getPrototypeOf(decoded.realtimeData), null);
    }
  });

  it('reads frames anywhere in the chunks they share, as ws hands them out, one chunk after another', () => {
    const templates = learnedTemplates();
    // Two socket reads' chunks, each holding several frames at offsets that are no multiple of 4, and a buffer
    // too large for the templates to keep a view of (a large frame's own): read in turns, each against its own bytes.
    const rows = ['a-1', 'b-22', 'c-333', 'd-4444'].map((id) => Buffer.from(agentRow(id)));
    const chunk = (junk: number): { buffer: Buffer; frames: Buffer[] } => {
      const buffer = Buffer.concat([Buffer.alloc(junk, 32), ...rows]);
      let at = junk;
      const frames = rows.map((row) => {
        const frame = buffer.subarray(at, at + row.length);
        at += row.length;
        return frame;
      });
      return { buffer, frames };
    };
    const first = chunk(3);
    const second = chunk(6);
    const large = Buffer.concat([Buffer.alloc(300 * 1024, 32), rows[1] as Buffer]).subarray(300 * 1024);
    assert.notEqual(first.buffer.buffer, second.buffer.buffer, 'two chunks');
    const turns = [first.frames[0], second.frames[1], large, first.frames[2], first.frames[3], second.frames[0]];
    turns.push(large, second.frames[3], first.frames[1]);
    turns.forEach((frame, k) => {
      assert.notEqual(templates.read(frame as Buffer), null, `frame ${k} is read`);
      assertSameDecoding(templates, frame as Buffer, `frame ${k}`);
    });
    // A frame that differs from the layout by one byte, in a chunk whose view is kept: not read.
    const wrong = Buffer.from(first.frames[2] as Buffer);
    wrong[wrong.indexOf('"agentState"') + 2] = 0x41;
    const third = Buffer.concat([Buffer.alloc(1, 32), wrong]).subarray(1);
    assert.notEqual(templates.read(first.frames[0] as Buffer), null);
    assert.equal(templates.read(third), null, 'the changed frame is not read');
    assertSameDecoding(templates, third, 'the changed frame');
  });

  it('keeps no chunk alive before it has a template, nor one over 256 KB', () => {
    const kept = (t: FrameTemplates): unknown => (t as unknown as { viewed: unknown }).viewed;
    const fresh = new FrameTemplates();
    const chunk = Buffer.from(agentRow('a-1'));
    assert.equal(fresh.read(chunk), null);
    assert.equal(kept(fresh), null, 'no template tried, no view kept');
    const templates = learnedTemplates();
    assert.notEqual(templates.read(chunk), null);
    assert.equal(kept(templates), chunk.buffer, "a socket read's chunk is kept");
    const large = Buffer.concat([Buffer.alloc(300 * 1024, 32), chunk]).subarray(300 * 1024);
    assert.notEqual(templates.read(large), null);
    assert.equal(kept(templates), chunk.buffer, 'a buffer over 256 KB is not');
  });

  it('agrees with the usual parse on every value a frame may hold in place of another', () => {
    const templates = learnedTemplates();
    // Each replaces the value of counter5 (a 5 in the learned layout): numbers the template reads itself, literals
    // parseJsonExact keeps as their text, and what JSON.parse refuses.
    const values = [
      '0',
      '7',
      '-12',
      '999999999999999',
      '-99999999999999',
      '1234567890123456',
      '1000000000000000',
      '9007199254740991',
      '-9007199254740991',
      '9007199254740992',
      '9007199254740993',
      '-9007199254740993',
      '9999999999999999',
      '10000000000000001',
      '90071992547409910',
      '12345678901234567890',
      '0.5',
      '-0.25',
      '1e2',
      '1E-7',
      '0.50',
      '1.0',
      '-0',
      '-0.0',
      '0.0000001',
      '1e309',
      '007',
      '01',
      '-',
      '1-2',
      '1.',
      '.5',
      '+1',
      '1e',
      '--1',
      '0x10',
      'NaN',
      'Infinity',
      'true',
      'false',
      'null',
      'nul',
      'truth',
      '"x"',
      '""',
      '"UNKNOWN"',
      '"a\\"b"',
      '"a\\\\"',
      '"\\u0041"',
      '"tab\there"',
      '"line\nbreak"',
      '"é"',
      '"\u2028"',
      '"😀"',
      '{}',
      '{"a":1}',
      '[]',
      '[1]',
      ' 5',
      '5 ',
    ];
    for (const value of values) {
      const text = agentRow('v1').replace('"counter5":5', `"counter5":${value}`);
      assert.notEqual(text, agentRow('v1'));
      assertSameDecoding(templates, text, `counter5: ${value}`);
    }
  });

  it('agrees with the usual parse on frames changed anywhere (seeded)', () => {
    const templates = learnedTemplates();
    const read = changedFramesAgree(templates, Buffer.from(agentRow('m1')), 19);
    for (const tail of [' ', '\n', '}', 'x', ',"a":1}']) {
      assertSameDecoding(templates, agentRow('m2') + tail, `followed by ${JSON.stringify(tail)}`);
    }
    assert.ok(read > 100, `the template read some changed frames (values changed in place): ${read}`);
    assert.ok(read < 2500, `and gave up on most: ${read}`);
  });

  it('reads a wide row into a dictionary with its names in order, and the decoder checks them without enumerating', () => {
    const templates = learnedTemplates(wideRow);
    const long = 'x'.repeat(2000);
    const frames = [
      wideRow('w1'),
      wideRow('w2', { wide500: 'a string', agentState: 'READY' }),
      wideRow('w3', { wide501: long }), // dropped by the decoder, as after the usual parse
      wideRow('w4', { agentFirstName: 'ünïcødé ✓', wide502: -0.5, wide503: null, wide504: true }),
      wideRow('w5', { workLimit: '3', lastStateChangeTimestamp: '00000001496919456479' }), // normalized
      wideRow('w6', { wide505: { nested: 1 } }), // the template gives up: the usual parse drops it
      wideRow('w7', { wide506: '9007199254740993' }),
    ];
    let read = 0;
    for (const text of frames) {
      if (templates.read(Buffer.from(text)) !== null) read++;
      assertSameDecoding(templates, text, text.slice(0, 60));
    }
    assert.equal(read, frames.length - 1, 'every frame but the nested value was read by the template');
    const decoded = decodeFrame(Buffer.from(frames[2] as string), false, Infinity, types, templates);
    assert.ok(decoded.type === 'message' && decoded.dropped?.longStrings === 1, 'the long string was dropped');
    assert.ok(decoded.type === 'message' && !('wide501' in decoded.realtimeData));

    // wideOf answers for the objects of the last read only (the decoder asks right after it).
    const root = templates.read(Buffer.from(wideRow('w8')));
    const wide = root?.realtimeData as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(wide), null);
    const built = templates.wideOf(wide);
    assert.deepEqual(built?.names, Object.keys(wide));
    assert.deepEqual(
      built.names.map((_, i) => built.values[built.from + i]),
      Object.values(wide),
    );
    assert.equal(templates.wideOf(root as object), undefined, 'the root is no wide object');
    templates.read(Buffer.from(wideRow('w9')));
    assert.equal(templates.wideOf(wide), undefined, 'forgotten at the next read');
  });

  it('agrees with the usual parse on wide rows changed anywhere (seeded)', () => {
    const templates = learnedTemplates(wideRow);
    const random = seededRandom(1675);
    const base = Buffer.from(wideRow('m1'));
    const bytes = [...Buffer.from(' "\\:,{}[]-.0123456789enulltruefalsexé')];
    for (let k = 0; k < 400; k++) {
      const at = Math.floor(random() * base.length);
      const byte = bytes[Math.floor(random() * bytes.length)] as number;
      assertSameDecoding(templates, changed(base, at, byte, 0), `change ${k} at ${at}`);
    }
  });

  it('does not learn a layout it cannot vouch for: whitespace, hostile or integer-like names, duplicates', () => {
    const frames = [
      JSON.stringify(JSON.parse(agentRow('w1')), null, 1),
      agentRow('h1').replace('"counter5":5', '"__proto__":5'),
      agentRow('h2').replace('"counter5":5', '"constructor":5'),
      agentRow('i1').replace('"counter5":5', '"5":5'),
      agentRow('d1').replace('"counter5":5', '"counter6":5'),
      agentRow('r1').replace('"counter5":5', '"counter5":[5]'),
      wideRow('h3').replace('"wide500":', '"__proto__":'),
      wideRow('h4').replace('"wide500":', '"wide501":'), // a duplicate in a wide row
      wideRow('r2', { wide500: [1] }),
      agentRow('n1').replace('"extra":null', '"extra":{"a":{"b":{"c":{"d":1}}}}'), // objects five deep
      agentRow('e1').replace(
        '"extra":null',
        `"extra":{${Array.from({ length: 500 }, (_, i) => `"k${i}":{}`).join(',')}}`,
      ),
    ];
    for (const text of frames) {
      const templates = new FrameTemplates();
      for (let i = 0; i < 40; i++) assertSameDecoding(templates, text, text.slice(0, 60));
      assert.equal(templates.learned, 0, text.slice(0, 200));
      assert.ok(templates.refused >= 1, 'it tried');
    }
  });

  it('a hostile nesting neither throws nor turns the templates off', () => {
    const templates = new FrameTemplates();
    const deep = agentRow('x1').replace('"extra":null', `"extra":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    for (let i = 0; i < 40; i++) decodeFrame(Buffer.from(deep), false, Infinity, types, templates);
    assert.ok(templates.refused >= 1, 'it tried');
    for (let i = 0; i < 100 && templates.learned === 0; i++) {
      decodeFrame(Buffer.from(agentRow(`y${i}`)), false, Infinity, types, templates);
    }
    assert.equal(templates.learned, 1, 'a usual layout is still learned after it');
  });

  it('reads a small layout the feed repeats (a state change), to what the usual parse makes of it', () => {
    const templates = new FrameTemplates();
    const state = (agentId: string, agentState: string, at: number): Buffer =>
      Buffer.from(
        `{"dimension":{"agentId":"${agentId}"},"realtimeData":{"agentState":"${agentState}",` +
          `"lastStateChangeTimestamp":"${String(at).padStart(20, '0')}","sequence":${at % 1000}},` +
          '"pumpup":false,"pumpupComplete":false,"heartbeat":false}',
      );
    assert.ok(state('a', 'READY', 1).length < MIN_TEMPLATE_BYTES);
    let read = 0;
    for (let i = 0; i < 200; i++) {
      const frame = state(`agent${i}`, i % 2 ? 'READY' : 'AFTER_CONTACT_WORK', 1496919128431 + i);
      if (templates.read(frame) !== null) read++;
      assertSameDecoding(templates, frame, `frame ${i}`);
    }
    assert.equal(templates.learned, 1);
    assert.ok(read > 150, `read by the template: ${read}`);
  });

  it('agrees with the usual parse on small frames changed anywhere (seeded)', () => {
    const templates = new FrameTemplates();
    const small = (agentId: string): string =>
      JSON.stringify({
        dimension: { agentId },
        realtimeData: { agentState: 'NOT_READY', workLimit: '1', lastStateChangeTimestamp: '00000001496919456478' },
        pumpup: false,
        pumpupComplete: false,
        heartbeat: false,
      });
    for (let i = 0; i < 100 && templates.learned === 0; i++)
      decodeFrame(Buffer.from(small(`s${i}`)), false, Infinity, types, templates);
    assert.equal(templates.learned, 1);
    // Frames of the layout after each changed one: the feed still repeats it, so the gate keeps templates on.
    let n = 0;
    const read = changedFramesAgree(templates, Buffer.from(small('m1')), 23, () => {
      for (let i = 0; i < 3; i++, n++) assertSameDecoding(templates, small(`n${n}`), `unchanged ${n}`);
    });
    assert.ok(read > 100, `the template read some changed frames (values changed in place): ${read}`);
    assert.ok(read < 2500, `and gave up on most: ${read}`);
  });

  it('leaves text frames to the usual parse', () => {
    const templates = new FrameTemplates();
    for (let i = 0; i < 100; i++) decodeFrame(agentRow('t1'), false, Infinity, types, templates);
    assert.equal(templates.learned + templates.refused, 0);
  });

  it('learns less and less often from a feed whose layouts keep changing', () => {
    const templates = new FrameTemplates();
    for (let i = 0; i < 20_000; i++) {
      decodeFrame(Buffer.from(agentRow('c1', { [`odd${i}`]: 1 })), false, Infinity, types, templates);
    }
    const attempts = templates.learned + templates.refused;
    // gaps of 8, 16, …, 4096 frames: 10 attempts for the first 8,184 misses, then one per 4,096
    assert.ok(attempts >= 10 && attempts <= 14, `attempts: ${attempts}`);
  });

  it('holds 16,384 values of templates at most: a ninth wide layout of 2,000 evicts the least recently used', () => {
    const templates = new FrameTemplates();
    const wide = (layout: number, id: number): Buffer => {
      const realtimeData: Record<string, number> = {};
      for (let i = 0; i < 2000; i++) realtimeData[`m${layout}_${i}`] = (i * id) % 1000;
      return Buffer.from(JSON.stringify({ dimension: { agentId: `a${id}` }, realtimeData }));
    };
    for (let layout = 0; layout < 9; layout++) {
      for (let id = 0; id < 100; id++) decodeFrame(wide(layout, id), false, Infinity, types, templates);
    }
    assert.equal(templates.learned, 9);
    assert.equal(templates.read(wide(0, 500)), null, 'the first layout was evicted');
    for (const layout of [1, 7, 8]) assert.notEqual(templates.read(wide(layout, 500)), null, `layout ${layout} kept`);
  });

  it('learns every layout of a feed that repeats twelve of them, each read as soon as learned', () => {
    const templates = new FrameTemplates();
    const layouts = Array.from({ length: 12 }, (_, k) => `layout${k}`);
    let read = 0;
    for (let i = 0; i < 3000; i++) {
      const frame = Buffer.from(agentRow(`p${i}`, { [layouts[i % 12] as string]: i }));
      if (templates.read(frame) !== null) read++;
      decodeFrame(frame, false, Infinity, types, templates);
    }
    // Doubling the gap at every attempt would have learned 9 by now (after 8, 16, …, 2,048 misses): a template that
    // reads its frames sets it back to 8.
    assert.equal(templates.learned, 12);
    assert.ok(read > 2000, `frames read: ${read}`);
  });

  it("keeps a feed's small layouts apart: four of them push out none of its twelve row layouts", () => {
    const templates = new FrameTemplates();
    const rows = Array.from(
      { length: 12 },
      (_, k) => (i: number) => Buffer.from(agentRow(`p${i}`, { [`layout${k}`]: i })),
    );
    const smalls = Array.from(
      { length: 4 },
      (_, k) => (i: number) => Buffer.from(smallFrame(`s${i}`, { [`small${k}`]: i })),
    );
    for (let i = 0; i < 3000; i++)
      decodeFrame((rows[i % 12] as (i: number) => Buffer)(i), false, Infinity, types, templates);
    for (let i = 0; i < 800; i++)
      decodeFrame((smalls[i % 4] as (i: number) => Buffer)(i), false, Infinity, types, templates);
    assert.equal(templates.learned, 16);
    rows.forEach((row, k) => assert.notEqual(templates.read(row(9000 + k)), null, `row layout ${k} is still read`));
    smalls.forEach((small, k) => assert.notEqual(templates.read(small(9000 + k)), null, `small layout ${k} is read`));
  });

  it('paces the learning of small frames apart: a feed of ever new row layouts does not delay them', () => {
    const templates = new FrameTemplates();
    for (let i = 0; i < 20_000; i++) {
      decodeFrame(Buffer.from(agentRow('c1', { [`odd${i}`]: 1 })), false, Infinity, types, templates);
    }
    const before = templates.learned;
    for (let i = 0; i < 30; i++) decodeFrame(Buffer.from(smallFrame(`s${i}`)), false, Infinity, types, templates);
    assert.equal(templates.learned, before + 1, 'learned after the first 8 small frames no template read');
  });

  it('tries templates on few small frames of a feed whose small layouts never repeat, and learns one once it repeats', () => {
    const templates = new FrameTemplates();
    for (let i = 0; i < 20_000; i++) {
      decodeFrame(Buffer.from(smallFrame('c1', { [`odd${i}`]: 1 })), false, Infinity, types, templates);
    }
    // Windows of 256 at frames 0, 4,352 and 12,800 (pauses of 4,096, then 8,192): the next opens at 29,440.
    assert.equal(templates.smallTried, 3 * 256);
    const learned = templates.learned;
    for (let i = 0; i < 20_000; i++) decodeFrame(Buffer.from(smallFrame(`r${i}`)), false, Infinity, types, templates);
    // Parsed the usual way until the pause ends; then the window that opens learns the layout within 8 frames.
    assert.equal(templates.learned, learned + 1);
    assert.equal(templates.smallTried, 3 * 256 + (40_000 - 29_440), 'every small frame since the window opened');
    assert.notEqual(templates.read(Buffer.from(smallFrame('z'))), null);
  });

  it('decodes heartbeats and status frames with templates as without', () => {
    const templates = new FrameTemplates();
    const frames = [
      '{"dimension":{},"realtimeData":{},"pumpup":false,"pumpupComplete":false,"heartbeat":true}',
      '{"code":200,"message":"OK"}',
      '{"code":500,"message":"Subscription limit reached"}',
      '--heartbeat--',
    ];
    for (let i = 0; i < 400; i++) assertSameDecoding(templates, frames[i % frames.length] as string, `frame ${i}`);
    assert.ok(templates.learned >= 2, `learned: ${templates.learned}`);
  });
});
