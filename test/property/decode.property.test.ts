// Property-based tests of frame decoding: whatever arrives (arbitrary JSON, garbage text, truncated
// frames, wrong types, deep nesting, huge strings, frames over the size limit, binary frames, hostile
// keys), decodeFrame returns a result and never throws; well-formed frames decode to exactly what was
// sent; nothing touches a built-in prototype. Then the same garbage over a real WSS socket: each bad
// frame is counted and reported once, the client stays connected and keeps delivering good rows.
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { decodeFrame, type DecodedMessage } from '../../lib/frames/decode';
import { normalizeMeasures } from '../../lib/frames/normalize';
import type { AnalyticsMessage, StateEvent } from '../../lib/index';
import type { OpenInterfaceClient } from '../../lib/client/client';
import { rawClient, startRawServer, type RawServer } from '../helpers/raw-server';
import { until, waitForEvent } from '../helpers/wait';
import { isHostileKey } from '../../lib/frames/decode';
import {
  deeplyNested,
  framePartsArb,
  frameText,
  nullProtoCopy,
  wireKey,
  wireScalar,
} from '../helpers/wire-arbitraries';

/** What decoding keeps of a wire object: everything but the keys a deep clone would misuse. */
function withoutDroppedKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out = nullProtoCopy(o);
  for (const k of ['__proto__', 'constructor', 'prototype']) delete out[k];
  return out;
}
import { guardPrototypes } from '../helpers/prototype-guard';

const FRAME_TYPES = new Set(['message', 'ping', 'server-error', 'status', 'malformed']);
const MAX = 64 * 1024;
const RUNS = { numRuns: 400 };

/** Every kind of input decodeFrame may see, as [data, isBinary]. */
const anyInput: fc.Arbitrary<[string | Buffer, boolean]> = fc.oneof(
  fc.json().map((t): [string, boolean] => [t, false]),
  fc.string({ unit: 'binary', maxLength: 200 }).map((t): [string, boolean] => [t, false]),
  fc.uint8Array({ maxLength: 200 }).map((b): [Buffer, boolean] => [Buffer.from(b), fc.sample(fc.boolean(), 1)[0]!]),
  framePartsArb.map((p): [Buffer, boolean] => [Buffer.from(frameText(p)), false]),
  // Wrong types in every field of an otherwise plausible frame.
  fc
    .record(
      {
        dimension: fc.anything(),
        realtimeData: fc.anything(),
        pumpup: fc.anything(),
        heartbeat: fc.anything(),
        eventAction: fc.anything(),
        producerId: fc.anything(),
        code: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((o): [string, boolean] => [JSON.stringify(o) ?? 'undefined', false]),
);

function checkResult(frame: ReturnType<typeof decodeFrame>): void {
  assert.ok(FRAME_TYPES.has(frame.type), `unknown frame type ${frame.type}`);
  if (frame.type === 'malformed') {
    assert.equal(typeof frame.reason, 'string');
    assert.ok(frame.reason.length > 0);
    assert.ok(frame.sample.length <= 121, 'the sample is bounded');
  }
  if (frame.type === 'message') {
    assert.equal(Object.getPrototypeOf(frame.dimension), null);
    assert.equal(Object.getPrototypeOf(frame.realtimeData), null);
    for (const v of Object.values(frame.dimension)) assert.equal(typeof v, 'string');
  }
}

describe('property: frame decoding', function () {
  this.timeout(60_000);
  guardPrototypes();

  it('never throws and always returns a known frame type, whatever arrives', () => {
    fc.assert(
      fc.property(anyInput, ([data, binary]) => {
        checkResult(decodeFrame(data, binary, MAX));
      }),
      RUNS,
    );
  });

  it('decodes every well-formed frame (either encoding and envelope, hostile keys included) to what was sent', () => {
    fc.assert(
      fc.property(framePartsArb, (p) => {
        const frame = decodeFrame(Buffer.from(frameText(p)), false, MAX);
        const dimension = withoutDroppedKeys(p.dimension);
        if (Object.keys(dimension).length === 0) {
          assert.equal(frame.type, 'malformed', 'a row whose only dimension keys were dropped has no identity');
          return;
        }
        assert.equal(frame.type, 'message');
        if (frame.type !== 'message') return;
        assert.deepEqual(frame.dimension, dimension);
        assert.deepEqual(frame.realtimeData, withoutDroppedKeys(p.realtimeData));
        const isDelete = p.long && p.eventAction === 'DELETE';
        assert.equal(frame.kind, isDelete ? 'delete' : p.pumpup ? 'pumpup' : 'delta');
        assert.equal(frame.pumpup, p.pumpup === true, 'a missing flag is false');
        assert.equal(frame.producerId, p.long ? 'Agent_SoD_3.5' : null);
      }),
      RUNS,
    );
  });

  it('normalizes in its one pass exactly as normalizeMeasures does after it, with the same drops', () => {
    const TYPES = ['NUMBER', 'DURATION', 'TIME_IN_STATE', 'DATE', 'STRING', ''];
    // Strings normalization changes, and measures whose key is also long or hostile (dropped, not normalized).
    const valueArb = fc.oneof(wireScalar, fc.constantFrom('1.50', '007', '-3', '1e309', 'x'.repeat(1025), [1], {}));
    const partsArb = fc.record({
      parts: framePartsArb,
      extra: fc.dictionary(fc.oneof(wireKey, fc.constant('k'.repeat(257))), valueArb, { maxKeys: 6 }),
      types: fc.dictionary(fc.string({ maxLength: 12 }), fc.constantFrom(...TYPES), { maxKeys: 8 }),
      typeEveryKey: fc.constantFrom(...TYPES),
    });
    fc.assert(
      fc.property(partsArb, ({ parts, extra, types, typeEveryKey }) => {
        const p = { ...parts, realtimeData: { ...parts.realtimeData, ...extra } };
        const declared = nullProtoCopy(types) as Record<string, string>;
        for (const k of Object.keys(p.realtimeData)) declared[k] ??= typeEveryKey;
        const text = frameText(p);
        const seen: Array<[string | null, Record<string, string>]> = [];
        const once = decodeFrame(text, false, MAX, (producerId, dimension) => {
          seen.push([producerId, dimension]);
          return declared;
        });
        const later = decodeFrame(text, false, MAX);
        assert.equal(once.type, later.type);
        if (once.type !== 'message' || later.type !== 'message') return;
        assert.deepEqual(seen, [[p.long ? 'Agent_SoD_3.5' : null, later.dimension]], 'asked once, with the dimension');
        assert.equal(once.normalizedWith, declared);
        assert.equal(later.normalizedWith, null);
        const normalized = normalizeMeasures(later.realtimeData, declared, later.stringMeasures);
        assert.deepEqual(once.realtimeData, normalized);
        assert.deepEqual(Object.keys(once.realtimeData), Object.keys(normalized), 'in the same order');
        assert.deepEqual(once.dropped, later.dropped);
        assert.equal(Object.getPrototypeOf(once.realtimeData), null);
      }),
      RUNS,
    );
    // Without types for the frame (no route, or several), nothing is normalized yet.
    const text = '{"dimension":{"agentId":"a"},"realtimeData":{"s":"UNKNOWN","t":"00000001496919456478"}}';
    const unrouted = decodeFrame(text, false, MAX, () => undefined) as DecodedMessage;
    assert.equal(unrouted.normalizedWith, null);
    assert.deepEqual({ ...unrouted.realtimeData }, { s: 'UNKNOWN', t: '00000001496919456478' });
    assert.deepEqual(unrouted.stringMeasures, ['s', 't']);
  });

  it('reports every truncated frame as malformed', () => {
    fc.assert(
      fc.property(framePartsArb, fc.nat(), (p, cut) => {
        const text = frameText(p);
        const frame = decodeFrame(text.slice(0, cut % text.length), false, MAX);
        assert.equal(frame.type, 'malformed');
      }),
      RUNS,
    );
  });

  it('refuses binary frames and frames over the size limit without parsing them', () => {
    fc.assert(
      fc.property(framePartsArb, fc.integer({ min: 1, max: 64 }), (p, limit) => {
        const data = Buffer.from(frameText(p));
        assert.deepEqual(decodeFrame(data, true, MAX), { type: 'malformed', reason: 'binary frame', sample: '' });
        const over = decodeFrame(data, false, Math.min(limit, data.length - 1));
        assert.equal(over.type, 'malformed');
        assert.match(over.type === 'malformed' ? over.reason : '', /oversize/);
      }),
      RUNS,
    );
  });

  it('survives deep nesting and huge strings in any field', () => {
    for (const depth of [10, 1_000, 100_000]) {
      for (const field of ['dimension', 'realtimeData', 'message']) {
        const text =
          field === 'message'
            ? `{"code":500,"message":${deeplyNested(depth)}}`
            : `{"${field}":${deeplyNested(depth)},"heartbeat":false}`;
        checkResult(decodeFrame(text, false, Infinity));
        const asString = `{"${field}":${JSON.stringify(deeplyNested(depth))}}`;
        checkResult(decodeFrame(asString, false, Infinity));
      }
    }
    const huge = 'x'.repeat(8 * 1024 * 1024);
    assert.equal(
      decodeFrame(`{"dimension":{"agentId":"${huge}"},"realtimeData":{}}`, false, Infinity).type,
      'malformed',
      'an over-long identity is no identity',
    );
    const frame = decodeFrame(
      `{"dimension":{"agentId":"a"},"realtimeData":{"a":"${huge}","b":${deeplyNested(100_000)},"c":1}}`,
      false,
      Infinity,
    );
    assert.ok(frame.type === 'message');
    assert.deepEqual(Object.keys(frame.realtimeData), ['c'], 'the huge string and the nested value are dropped');
    assert.deepEqual(frame.dropped, { hostileKeys: 0, nestedValues: 1, longStrings: 1, names: ['a', 'b'] });
    const error = decodeFrame(`{"code":500,"message":"${huge}"}`, false, Infinity);
    assert.ok(error.type === 'server-error' && error.message.length <= 500, 'an error text is bounded');
  });

  it('drops the prototype keys, keeps other hostile-looking keys as inert data', () => {
    fc.assert(
      fc.property(fc.uniqueArray(wireKey, { minLength: 1, maxLength: 6 }), (keys) => {
        const body = keys.map((k) => `${JSON.stringify(k)}:"polluted"`).join(',');
        const frame = decodeFrame(`{"dimension":{"agentId":"a"},"realtimeData":{${body}}}`, false, MAX);
        assert.equal(frame.type, 'message');
        const kept = keys.filter((k) => !isHostileKey(k));
        if (frame.type === 'message') assert.deepEqual(Object.keys(frame.realtimeData).sort(), kept.sort());
      }),
      RUNS,
    );
  });
});

describe('property: garbage frames over a real WSS socket', function () {
  this.timeout(60_000);
  let server: RawServer;
  let client: OpenInterfaceClient | null = null;
  guardPrototypes();

  before(async () => {
    server = await startRawServer();
  });
  after(async () => {
    await client?.close();
    await server.close();
  });

  it('counts each bad frame once, reports it, stays connected and keeps delivering', async () => {
    client = rawClient(server, { maxPayload: MAX });
    const c = client;
    const socketP = server.nextSocket();
    const sub = c.subscribe('Agent_SoD_3.5');
    const ws = await socketP;
    await waitForEvent<StateEvent>(c, 'state', (s) => s.state === 'connected');
    const delivered: AnalyticsMessage[] = [];
    sub.on('message', (m: AnalyticsMessage) => delivered.push(m));
    const reported: unknown[] = [];
    c.on('malformed', (m: unknown) => reported.push(m));

    // Only inputs the decoder itself calls malformed, sent as text or binary; each followed by a good row.
    // A text frame that is not UTF-8 is left out: RFC 6455 makes ws fail that connection (1007), which
    // the client then recovers from like any drop.
    const bad = fc
      .sample(anyInput, { numRuns: 300, seed: 7 })
      .filter(([data, binary]) => binary || typeof data === 'string' || isUtf8(data))
      .filter(([data, binary]) => decodeFrame(data, binary, MAX).type === 'malformed')
      .slice(0, 150);
    assert.ok(bad.length > 50, `only ${bad.length} malformed samples`);
    for (const [i, [data, binary]] of bad.entries()) {
      ws.send(data, { binary });
      ws.send(
        JSON.stringify({
          dimension: { agentId: `agent-${i}` },
          realtimeData: { active: '1' },
          pumpup: false,
          heartbeat: false,
        }),
      );
    }
    await until(`${bad.length} good rows`, () => delivered.length === bad.length, 20_000).catch((err: Error) => {
      throw new Error(
        `${err.message}: ${delivered.length} delivered, ${c.stats.malformedFrames} malformed, state ${c.state}, ${JSON.stringify(c.stats)}`,
      );
    });
    assert.equal(c.stats.malformedFrames, bad.length);
    assert.equal(reported.length, bad.length);
    assert.deepEqual(
      delivered.map((m) => m.dimension.agentId),
      bad.map((_, i) => `agent-${i}`),
    );
    assert.ok(c.state === 'connected' || c.state === 'ready', `state ${c.state}`);
    assert.equal(server.sockets.length, 1, 'bad frames must not cost the socket');
  });
});
