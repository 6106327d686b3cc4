// The message contract (lib/flow-messages.ts): how the subscribe node builds its msgs and how the
// state node reads any msg, including those of unrelated nodes.
import assert from 'node:assert/strict';
import {
  dataMessage,
  FlowMessageError,
  LIFECYCLE_EVENTS,
  lifecycleMessage,
  LOSS_EVENTS,
  parseStateInput,
  RESYNC_EVENTS,
  STATE_COMMANDS,
} from '../../lib/flow-messages';

describe('flow messages (the contract between the nodes)', () => {
  describe('building', () => {
    const m = {
      kind: 'delta' as const,
      producerId: 'AgentGroup_SoD_3.5',
      sourceId: 'S',
      dimension: { groupId: '10003' },
      measures: { shortAcw: 4 },
      pumpup: false,
      eventAction: 'UPSERT' as const,
      pumpupIdentifier: null,
      key: 'AgentGroup_SoD_3.5/groupId=10003',
      receivedAt: 1,
    };

    it("hands the message's objects on without copying, and flags only ambiguous rows", () => {
      const msg = dataMessage(m, 'id1');
      assert.deepEqual(Object.keys(msg).sort(), [
        '_msgid',
        'dimension',
        'eventAction',
        'payload',
        'producer',
        'pumpup',
        'source',
        'topic',
      ]);
      assert.equal(msg._msgid, 'id1');
      assert.equal(msg.payload, m.measures);
      assert.equal(msg.dimension, m.dimension);
      assert.equal(msg.topic, m.key);
      assert.equal(dataMessage({ ...m, ambiguous: true }, 'id2').ambiguous, true);
    });

    it('builds lifecycle events with their own id, the state, an optional reason and a time', () => {
      const c = lifecycleMessage('Agent_SoD_3.5', 'stale', 'id9', 'no frame for 24000 ms');
      assert.deepEqual(
        { ...c, payload: { ...c.payload, at: 0 } },
        {
          _msgid: 'id9',
          topic: 'Agent_SoD_3.5',
          producer: 'Agent_SoD_3.5',
          control: 'stale',
          payload: { state: 'stale', reason: 'no frame for 24000 ms', at: 0 },
        },
      );
      assert.ok(Math.abs(c.payload.at - Date.now()) < 5000);
      assert.equal('reason' in lifecycleMessage('P', 'ready', 'id10').payload, false);
      const cause = { kind: 'http' as const, value: 502, short: 'HTTP 502', detail: '502 Bad Gateway' };
      assert.deepEqual(
        lifecycleMessage('P', 'disconnected', 'id11', 'HTTP 502', cause).payload.cause,
        cause,
        'a fault carries its classified cause',
      );
    });

    it('sorts every lifecycle event that changes a view into loss or resync, and no event into both', () => {
      for (const e of LOSS_EVENTS) assert.ok(LIFECYCLE_EVENTS.includes(e) && !RESYNC_EVENTS.has(e));
      for (const e of RESYNC_EVENTS) assert.ok(LIFECYCLE_EVENTS.includes(e));
      assert.deepEqual([...LOSS_EVENTS].sort(), ['auth-failed', 'disconnected', 'failed', 'stale', 'unsubscribed']);
      assert.deepEqual(
        [...RESYNC_EVENTS].sort(),
        ['subscribed'],
        'not "connected": the socket reports pumpups of other producers too',
      );
    });
  });

  describe('parseStateInput', () => {
    it('reads a data msg in place (no copy) as data', () => {
      const msg = {
        _msgid: 'x',
        topic: 'P/agentId=a',
        payload: { n: 1 },
        dimension: { agentId: 'a' },
        producer: 'P',
        source: 'S',
        pumpup: false,
        eventAction: 'UPSERT',
      };
      const input = parseStateInput(msg);
      assert.equal(input.kind, 'data');
      assert.equal(input.kind === 'data' && input.msg, msg);
    });

    it('reads a lifecycle event by msg.control, naming its producer and _msgid', () => {
      assert.deepEqual(parseStateInput(lifecycleMessage('P', 'pumpupComplete', 'id1')), {
        kind: 'lifecycle',
        event: 'pumpupComplete',
        producer: 'P',
        msgid: 'id1',
      });
      assert.deepEqual(
        parseStateInput({ topic: 'Q', control: 'disconnected' }),
        { kind: 'lifecycle', event: 'disconnected', producer: 'Q', msgid: '' },
        'hand-made: the producer in msg.topic',
      );
    });

    it('reads the reply of a subscribe node\'s "stats" action as a reply to pass on', () => {
      assert.deepEqual(parseStateInput({ action: 'stats', payload: { state: 'ready' } }), { kind: 'reply' });
    });

    it('reads commands and dictionaries', () => {
      for (const action of STATE_COMMANDS)
        assert.deepEqual(parseStateInput({ action, producer: 'P' }), { kind: 'command', action });
      const labels = { agentState: 'Agent State' };
      assert.deepEqual(parseStateInput({ labels, payload: { producerId: 'P' } }), {
        kind: 'dictionary',
        producer: 'P',
        labels,
        dictionary: { producerId: 'P' },
      });
      assert.deepEqual(parseStateInput({ labels, producer: 'Q', payload: { producerId: 'P' } }).kind, 'dictionary');
    });

    const refused: Array<[string, Record<string, unknown>, FlowMessageError['code'], RegExp]> = [
      [
        'an inject timestamp',
        { payload: 1733300000000, topic: '' },
        'unknown-msg',
        /expected .*avaya-analytics-subscribe.*msg\.action snapshot, get or reset/,
      ],
      ['an http request', { payload: {}, req: {}, res: {} }, 'unknown-msg', /not a msg this node takes/],
      ['data without a dimension', { producer: 'P', payload: { n: 1 } }, 'unknown-msg', /msg\.dimension/],
      [
        'data with an array dimension',
        { producer: 'P', dimension: ['a'], payload: { n: 1 } },
        'unknown-msg',
        /msg\.producer/,
      ],
      ['data with an empty producer', { producer: '', dimension: { agentId: 'a' } }, 'unknown-msg', /expected/],
      ['an unknown action', { action: 'explode' }, 'unknown-action', /"explode": expected snapshot, get, reset/],
      [
        'an unknown lifecycle event',
        { control: 'rebooted', producer: 'P' },
        'unknown-control',
        /"rebooted": expected subscribed, .*unsubscribed/,
      ],
      ['a lifecycle event without a producer', { control: 'stale' }, 'no-producer', /msg\.producer or msg\.topic/],
    ];
    for (const [name, msg, code, pattern] of refused) {
      it(`refuses ${name} with a FlowMessageError that names what was expected`, () => {
        assert.throws(
          () => parseStateInput(msg),
          (err: unknown) => err instanceof FlowMessageError && err.code === code && pattern.test(err.message),
        );
      });
    }
  });
});
