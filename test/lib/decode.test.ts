import assert from 'node:assert/strict';
import { decodeFrame, HEARTBEAT_TEXT } from '../../lib/frames/decode';
import type { DecodedMessage, Frame } from '../../lib/frames/decode';

function message(frame: Frame): DecodedMessage {
  if (frame.type !== 'message') assert.fail(frame.type === 'malformed' ? frame.reason : frame.type);
  return frame;
}

describe('lib/frames decodeFrame', () => {
  it('decodes the short form with object values (the guide sample) and treats missing flags as false', () => {
    const m = message(
      decodeFrame('{"dimension":{"agentId":"scollins"},"realtimeData":{"idleTimeDuration":70},"pumpup":false}'),
    );
    assert.equal(m.kind, 'delta');
    assert.deepEqual({ ...m.dimension }, { agentId: 'scollins' });
    assert.deepEqual({ ...m.realtimeData }, { idleTimeDuration: 70 });
    assert.equal(m.pumpupComplete, false);
    assert.equal(m.heartbeat, false);
    assert.equal(m.producerId, null);
    assert.equal(m.eventAction, 'UPSERT');
  });

  it('decodes the long form with JSON-string values (the guide AgentGroup sample)', () => {
    const text =
      '{"dimension":"{\\"groupId\\": \\"10003\\"}","realtimeData":"{\\"acwDuration\\":7,\\"shortAcw\\":4}","pumpupIdentifier":null,' +
      '"pumpup":false,"pumpupComplete":false,"heartbeat":false,"extra":null,"sourceId":"Oceana_Streams_127.0.0.1_3.5",' +
      '"producerId":"AgentGroup_SoD_3.5","eventAction":"UPSERT"}';
    const m = message(decodeFrame(Buffer.from(text)));
    assert.equal(m.kind, 'delta');
    assert.equal(m.producerId, 'AgentGroup_SoD_3.5');
    assert.equal(m.sourceId, 'Oceana_Streams_127.0.0.1_3.5');
    assert.equal(m.dimension.groupId, '10003');
    assert.equal(m.realtimeData.shortAcw, 4);
  });

  it('classifies heartbeat, pumpup row, pumpup complete, delete', () => {
    assert.equal(
      message(decodeFrame('{"dimension":{},"realtimeData":{},"pumpup":false,"pumpupComplete":false,"heartbeat":true}'))
        .kind,
      'heartbeat',
    );
    const row = message(
      decodeFrame(
        '{"dimension":{"agentId":"a"},"realtimeData":{"active":0},"pumpup":true,"pumpupComplete":false,"heartbeat":false,"pumpupIdentifier":"u_2_AGENTMEASURES_1"}',
      ),
    );
    assert.equal(row.kind, 'pumpup');
    assert.equal(row.pumpupIdentifier, 'u_2_AGENTMEASURES_1');
    const done = message(
      decodeFrame('{"dimension":{},"realtimeData":{},"pumpup":true,"pumpupComplete":true,"heartbeat":false}'),
    );
    assert.equal(done.kind, 'pumpupComplete');
    assert.equal(Object.keys(done.dimension).length, 0);
    const del = message(
      decodeFrame(
        '{"dimension":{"agentId":"a"},"realtimeData":{},"pumpup":false,"producerId":"Agent_SoD_3.5","eventAction":"DELETE"}',
      ),
    );
    assert.equal(del.kind, 'delete');
    assert.equal(del.eventAction, 'DELETE');
  });

  it('recognises the --heartbeat-- text frame', () => {
    assert.equal(decodeFrame(HEARTBEAT_TEXT).type, 'ping');
    assert.equal(decodeFrame(Buffer.from('--heartbeat--')).type, 'ping');
  });

  it('turns the error frame into server-error and a 200 into status', () => {
    assert.deepEqual(decodeFrame('{"code":500,"message":"token revoked"}'), {
      type: 'server-error',
      code: 500,
      message: 'token revoked',
    });
    assert.equal(decodeFrame('{"code":200,"message":"OK"}').type, 'status');
  });

  const bad: Array<[string, string | Buffer, boolean?]> = [
    ['invalid JSON', '{"dimension":'],
    ['a JSON array', '[1,2]'],
    ['a JSON number', '42'],
    ['null', 'null'],
    ['dimension as array', '{"dimension":["a"],"realtimeData":{}}'],
    ['dimension as an invalid JSON string', '{"dimension":"{agentId","realtimeData":{}}'],
    ['dimension value as object', '{"dimension":{"agentId":{"x":1}},"realtimeData":{}}'],
    ['realtimeData as number', '{"dimension":{"agentId":"a"},"realtimeData":5}'],
    ['producerId as number', '{"dimension":{"agentId":"a"},"realtimeData":{},"producerId":5}'],
    ['a delta without dimension', '{"dimension":{},"realtimeData":{"x":1},"pumpup":false}'],
    ['eventAction as object', '{"dimension":{"agentId":"a"},"realtimeData":{},"eventAction":{}}'],
    ['a binary frame', Buffer.from('{"dimension":{"agentId":"a"}}'), true],
  ];
  for (const [name, data, binary] of bad) {
    it(`reports ${name} as malformed without throwing`, () => {
      const f = decodeFrame(data, binary ?? false);
      assert.equal(f.type, 'malformed');
      assert.ok(f.type === 'malformed' && f.reason.length > 0);
    });
  }

  it('refuses oversize frames before parsing', () => {
    const f = decodeFrame('x'.repeat(100), false, 50);
    assert.equal(f.type, 'malformed');
    assert.match((f as { reason: string }).reason, /oversize/);
  });

  it("reads a dimension's own names only, even with an enumerable name polluting Object.prototype", () => {
    Object.defineProperty(Object.prototype, 'siteId', { value: 42, enumerable: true, configurable: true });
    try {
      const m = message(decodeFrame('{"dimension":{"agentId":"a"},"realtimeData":{"x":1}}'));
      assert.deepEqual(Object.keys(m.dimension), ['agentId']);
      const names: string[] = [];
      for (const name in m.dimension) names.push(name);
      assert.deepEqual(names, ['agentId'], 'no inherited name is enumerated, nor checked (42 is no string)');
    } finally {
      delete (Object.prototype as Record<string, unknown>).siteId;
    }
  });

  it('drops and counts __proto__, constructor and prototype keys (a deep clone would make them prototypes)', () => {
    const text =
      '{"dimension":{"agentId":"a","__proto__":{"polluted":"yes"}},"realtimeData":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"x":1}}';
    const m0 = message(decodeFrame(text));
    assert.deepEqual(Object.keys(m0.dimension), ['agentId']);
    assert.deepEqual(Object.keys(m0.realtimeData), ['x']);
    const m = message(
      decodeFrame(
        '{"dimension":{"agentId":"a","__proto__":"p","prototype":"q"},"realtimeData":{"__proto__":"s","constructor":"c","x":1}}',
      ),
    );
    assert.equal(Object.getPrototypeOf(m.dimension), null);
    assert.equal(Object.getPrototypeOf(m.realtimeData), null);
    assert.deepEqual(Object.keys(m.dimension), ['agentId']);
    assert.deepEqual(Object.keys(m.realtimeData), ['x']);
    assert.deepEqual(m.dropped, {
      hostileKeys: 4,
      nestedValues: 0,
      longStrings: 0,
      names: ['__proto__', 'prototype', '__proto__', 'constructor'],
    });
    assert.equal(message(decodeFrame('{"dimension":{"agentId":"a"},"realtimeData":{"x":1}}')).dropped, null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as unknown as Record<string, unknown>).polluted, undefined);
    // JSON-string encoded variant too.
    const s = message(
      decodeFrame(JSON.stringify({ dimension: '{"agentId":"a"}', realtimeData: '{"__proto__":{"polluted":1}}' })),
    );
    assert.equal(Object.getPrototypeOf(s.realtimeData), null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('keeps identifiers that arrive as numbers as strings', () => {
    const m = message(decodeFrame('{"dimension":{"groupId":10003},"realtimeData":{}}'));
    assert.equal(m.dimension.groupId, '10003');
  });

  it('accepts every guide sample line of the AGENTMEASURES pumpup', () => {
    const lines = [
      '{"dimension":{"agentId":"scollins"},"realtimeData":{"active":0},"pumpup":true,"pumpupComplete":false,"heartbeat":false }',
      '{"dimension":{"agentId":"scollins"},"realtimeData":{"agentLogoutTimeStamp":"UNKNOWN","nrReasonCode":"0","activeWorkCount":"0"},"pumpup":true,"pumpupComplete":false,"heartbeat":false }',
      '{"dimension":{},"realtimeData":{},"pumpup":true,"pumpupComplete":true,"heartbeat":false}',
    ];
    assert.deepEqual(
      lines.map((l) => message(decodeFrame(l)).kind),
      ['pumpup', 'pumpup', 'pumpupComplete'],
    );
  });
});
