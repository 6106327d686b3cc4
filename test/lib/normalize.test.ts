import assert from 'node:assert/strict';
import { decodeFrame } from '../../lib/frames/decode';
import { toAnalyticsMessage } from '../../lib/frames/message';
import { normalizeMeasures, normalizeValue } from '../../lib/frames/normalize';
import { buildSchema, canonicalizeDimension, schemaFromDescriptor } from '../../lib/frames/producer-schema';
import type { DecodedMessage } from '../../lib/frames/decode';

describe('lib/frames normalization', () => {
  it('turns 20-digit timestamps into epoch-ms numbers whatever the declared type', () => {
    assert.equal(normalizeValue('00000001496919456478'), 1496919456478);
    assert.equal(normalizeValue('00000001496919456478', 'STRING'), 1496919456478);
    assert.equal(normalizeValue('1496919456478', 'DATE'), 1496919456478);
  });

  it('reads all-digit strings exactly at the edge of the safe integers, and past it only when exact', () => {
    assert.equal(normalizeValue('00009007199254740991'), Number.MAX_SAFE_INTEGER);
    assert.equal(normalizeValue('9007199254740991', 'NUMBER'), Number.MAX_SAFE_INTEGER);
    // 2^53 + 2 is a double; 2^53 + 1 is not (Number() would round it to 2^53): it stays text.
    assert.equal(normalizeValue('00009007199254740994'), 9007199254740994);
    assert.equal(normalizeValue('00009007199254740993'), '00009007199254740993');
    assert.equal(normalizeValue('99999999999999999999'), '99999999999999999999');
    assert.equal(normalizeValue('007', 'NUMBER'), 7);
    assert.equal(normalizeValue('00000000000000000000'), 0);
    assert.equal(normalizeValue('0000000000000000000a'), '0000000000000000000a');
    assert.equal(normalizeValue('', 'DATE'), '');
    assert.equal(normalizeValue('1e3', 'DATE'), '1e3');
    assert.equal(normalizeValue('1e3', 'NUMBER'), 1000);
  });

  it('turns "UNKNOWN" into null', () => {
    assert.equal(normalizeValue('UNKNOWN'), null);
    assert.equal(normalizeValue('UNKNOWN', 'NUMBER'), null);
  });

  it('converts numeric strings only for NUMBER, DURATION and TIME_IN_STATE', () => {
    assert.equal(normalizeValue('0', 'NUMBER'), 0);
    assert.equal(normalizeValue('12.5', 'DURATION'), 12.5);
    assert.equal(normalizeValue('-3', 'TIME_IN_STATE'), -3);
    assert.equal(normalizeValue('0', 'STRING'), '0');
    assert.equal(normalizeValue('8881001'), '8881001');
    assert.equal(normalizeValue('0x10', 'NUMBER'), '0x10');
    assert.equal(normalizeValue(' 1 ', 'NUMBER'), ' 1 ');
    assert.equal(normalizeValue('', 'NUMBER'), '');
    assert.equal(normalizeValue('READY', 'STRING'), 'READY');
    assert.equal(normalizeValue(7, 'NUMBER'), 7);
    assert.equal(normalizeValue(true), true);
  });

  it('normalizes a measure record in place', () => {
    const types = buildSchema(
      'Agent_SoD_3.5',
      ['agentId'],
      [
        { name: 'activeWorkCount', type: 'NUMBER' },
        { name: 'nrReasonCode', type: 'STRING' },
        { name: 'lastStateChangeTimestamp', type: 'DATE' },
      ],
    ).measureTypes;
    const m = Object.assign(Object.create(null) as Record<string, unknown>, {
      activeWorkCount: '0',
      nrReasonCode: '0',
      lastStateChangeTimestamp: '00000001496919128431',
      loginTimeStamp: 'UNKNOWN',
    });
    assert.equal(normalizeMeasures(m, types), m);
    assert.deepEqual(
      { ...m },
      { activeWorkCount: 0, nrReasonCode: '0', lastStateChangeTimestamp: 1496919128431, loginTimeStamp: null },
    );
  });

  it('canonicalizes dimension key case to the declared names', () => {
    const schema = buildSchema('ContactDetail_CDR_3.5', ['segmentId'], []);
    const wire = Object.assign(Object.create(null) as Record<string, string>, { segmentid: 'dab8' });
    const out = canonicalizeDimension(wire, schema);
    assert.deepEqual({ ...out }, { segmentId: 'dab8' });
    assert.equal(Object.getPrototypeOf(out), null);
    const exact = Object.assign(Object.create(null) as Record<string, string>, { segmentId: 'x' });
    assert.equal(canonicalizeDimension(exact, schema), exact, 'no copy when nothing needs renaming');
  });

  it('reads producer descriptors (header/dimensions/measures) and upper-cases types', () => {
    const schema = schemaFromDescriptor({
      header: { producerId: 'AgentGroup_SoD_3.5' },
      dimensions: [{ name: 'groupId', type: 'String' }],
      measures: [
        { name: 'acwDuration', type: 'Duration' },
        { name: '__proto__', type: 'NUMBER' },
      ],
    });
    assert.ok(schema);
    assert.equal(schema.signature, 'groupid');
    assert.equal(schema.measureTypes.acwDuration, 'DURATION');
    assert.equal(Object.getPrototypeOf(schema.measureTypes), null);
    assert.equal(schemaFromDescriptor({ nothing: true }), null);
    assert.equal(schemaFromDescriptor(null), null);
  });

  it('builds the public message: canonical keys, normalized measures, entity key', () => {
    const schema = buildSchema('AgentGroup_SoD_3.5', ['groupId'], [{ name: 'shortAcw', type: 'NUMBER' }]);
    const frame = decodeFrame(
      '{"dimension":{"groupid":"10003"},"realtimeData":{"shortAcw":"4"},"pumpup":true}',
    ) as DecodedMessage;
    const m = toAnalyticsMessage(frame, schema, 'S', true, 1000);
    assert.equal(m.kind, 'pumpup');
    assert.equal(m.key, 'AgentGroup_SoD_3.5/groupId=10003');
    assert.equal(m.measures.shortAcw, 4);
    assert.equal(m.sourceId, 'S');
    const raw = decodeFrame('{"dimension":{"groupId":"1"},"realtimeData":{"shortAcw":"4"}}') as DecodedMessage;
    assert.equal(
      toAnalyticsMessage(raw, schema, 'S', false, 0).measures.shortAcw,
      '4',
      'normalization can be turned off',
    );
  });
});
