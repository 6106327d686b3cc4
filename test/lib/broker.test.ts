// lib/broker.ts: the topic scheme, its escaping (reversible, MQTT-safe), the record payload two
// collectors agree on, the way back from what core `mqtt in` delivers (through parseStateInput).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  deltaPayload,
  escapeLevel,
  feedStateOf,
  healthTopic,
  parseEntityTopic,
  prefixProblem,
  readBrokerMessage,
  recordPayload,
  recordTopic,
  unescapeLevel,
  BrokerMessageError,
} from '../../lib/broker';
import { entityKey } from '../../lib/entity-key';
import { FlowMessageError, parseStateInput } from '../../lib/flow-messages';

/** What MQTT allows in a topic level we publish to: no separator, no wildcard, no NUL, valid UTF-16 (so UTF-8). */
function isSafeLevel(level: string): boolean {
  // eslint-disable-next-line no-control-regex -- NUL is one of the characters an MQTT topic level must not hold
  return level !== '' && !/[/+#\u0000]/.test(level) && Buffer.from(level, 'utf8').toString('utf8') === level;
}

const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('/', '+', '#', '=', '%', '\u0000', '\u007f', '\u0085', '~', ' ', 'é', '東', '😀'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});

describe('lib/broker: topics and escaping', () => {
  it('escapes the characters that would break the tree, and unescapes them back', () => {
    assert.equal(escapeLevel('a/b+c#d=e%f\u0000g'), 'a%2Fb%2Bc%23d%3De%25f%00g');
    assert.equal(escapeLevel('Zoë 東京'), 'Zoë 東京'); // non-ASCII stays readable
    assert.equal(escapeLevel(''), '%');
    assert.equal(unescapeLevel('%'), '');
    assert.equal(unescapeLevel('a%2Fb%2Bc%23d%3De%25f%00g'), 'a/b+c#d=e%f\u0000g');
    fc.assert(
      fc.property(text, (s) => {
        const level = escapeLevel(s);
        return isSafeLevel(level) && !level.includes('=') && unescapeLevel(level) === s;
      }),
      { numRuns: 2000 },
    );
  });

  it('builds one topic per entity, dimension levels in key order, and reads producer and dimension back without the prefix', () => {
    const dim = { channelId: 'Voice', agentId: 'js/+#', accountId: '' };
    const topic = recordTopic('avaya/acme', 'AgentByAccount_SoD_3.5', dim);
    assert.equal(topic, 'avaya/acme/record/AgentByAccount_SoD_3.5/accountId=/agentId=js%2F%2B%23/channelId=Voice');
    const back = parseEntityTopic(topic)!;
    assert.deepEqual(
      { ...back, dimension: { ...back.dimension } },
      { producer: 'AgentByAccount_SoD_3.5', dimension: { accountId: '', agentId: 'js/+#', channelId: 'Voice' } },
    );
    assert.equal(recordTopic('p', 'P', { b: '1', a: '2' }), recordTopic('p', 'P', { a: '2', b: '1' }));
    assert.equal(parseEntityTopic('avaya/acme/delta/P/a=1'), null, 'a delta topic is not a record');
    assert.equal(parseEntityTopic('avaya/acme/health/c1/P'), null);
    assert.equal(parseEntityTopic('record/P/a=%zz'), null, 'a bad escape is not ours');
    assert.equal(healthTopic('avaya/acme', 'node/1', 'P+'), 'avaya/acme/health/node%2F1/P%2B');
    fc.assert(
      fc.property(
        fc.constantFrom('avaya/default', 'a', 'x=y/z', 'record/deep/prefix'),
        text.filter((s) => s !== ''),
        fc.dictionary(text, text, { maxKeys: 4 }),
        (prefix, producer, dimension) => {
          const t = recordTopic(prefix, producer, dimension);
          const levels = t.split('/');
          const back = parseEntityTopic(t);
          return (
            levels.every(isSafeLevel) &&
            back !== null &&
            back.producer === producer &&
            entityKey(back.producer, back.dimension) === entityKey(producer, dimension)
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('checks a configured prefix', () => {
    assert.equal(prefixProblem('avaya/acme'), null);
    for (const bad of ['', 'a/+/b', 'a/#', 'a//b', '/a', '$SYS/x', 'a\u0000'])
      assert.notEqual(prefixProblem(bad), null, bad);
  });
});

describe('lib/broker: payloads', () => {
  it('publishes the record with sorted names and without timeInStateMs, so two collectors send the same bytes', () => {
    const a = recordPayload({ agentId: 'x', stateSince: 5, timeInStateMs: 100, agentState: 'READY' });
    const b = recordPayload({ agentState: 'READY', timeInStateMs: 999, stateSince: 5, agentId: 'x' });
    assert.equal(a, b);
    assert.equal(a, '{"agentId":"x","agentState":"READY","stateSince":5}');
    assert.equal(deltaPayload({ a: 1, b: null, c: 3 }, ['c', 'b']), '{"b":null,"c":3}');
  });

  it('maps lifecycle events to feed states', () => {
    assert.equal(feedStateOf('subscribed', false), 'synchronising');
    assert.equal(feedStateOf('pumpupComplete', true), 'live');
    assert.equal(feedStateOf('ready', false), 'synchronising');
    assert.equal(feedStateOf('stale', false), 'stale');
    assert.equal(feedStateOf('auth-failed', false), 'disconnected');
    assert.equal(feedStateOf('whatever', true), null);
  });
});

describe('lib/broker: what core mqtt in delivers, read by parseStateInput', () => {
  const topic = recordTopic('avaya/t', 'Agent_SoD_3.5', { agentId: 'a/b' });

  it('reads a record (parsed object, JSON string or Buffer) as an UPSERT of its measures', () => {
    for (const payload of [
      { agentId: 'a/b', agentState: 'READY', timeInStateMs: 4 },
      '{"agentId":"a/b","agentState":"READY"}',
      Buffer.from('{"agentState":"READY"}'),
    ]) {
      const input = parseStateInput({ _msgid: 'm1', topic, payload, qos: 1, retain: true });
      assert.equal(input.kind, 'data');
      if (input.kind !== 'data') return;
      assert.equal(input.msg.producer, 'Agent_SoD_3.5');
      assert.deepEqual({ ...input.msg.dimension }, { agentId: 'a/b' });
      assert.equal(input.msg.topic, 'Agent_SoD_3.5/agentId=a/b');
      assert.equal(input.msg.eventAction, 'UPSERT');
      assert.deepEqual(
        { ...input.msg.payload },
        { agentState: 'READY' },
        'dimension fields and timeInStateMs are not measures',
      );
      assert.equal(input.msg._msgid, 'm1');
    }
  });

  it('reads an empty retained payload as a DELETE', () => {
    for (const payload of ['', Buffer.alloc(0), null]) {
      const input = parseStateInput({ topic, payload, retain: true });
      assert.equal(input.kind === 'data' && input.msg.eventAction, 'DELETE');
    }
  });

  it('reads health topics, and refuses what is not of the scheme', () => {
    const h = parseStateInput({
      topic: healthTopic('avaya/t', 'c1', 'P'),
      payload: { collector: 'c1', producer: 'P', state: 'live', cause: 'pumpupComplete', since: 1 },
    });
    assert.deepEqual(h, { kind: 'health', collector: 'c1', producer: 'P', state: 'live', cause: 'pumpupComplete' });
    const will = parseStateInput({
      topic: healthTopic('avaya/t', 'c1'),
      payload: '{"collector":"c1","state":"offline","cause":"last will"}',
    });
    assert.deepEqual(will, {
      kind: 'health',
      collector: 'c1',
      producer: undefined,
      state: 'offline',
      cause: 'last will',
    });
    assert.throws(() => parseStateInput({ topic: 'some/other/topic', payload: 'x' }), FlowMessageError);
    assert.throws(() => parseStateInput({ topic, payload: 'not json' }), BrokerMessageError);
    assert.throws(
      () =>
        readBrokerMessage({
          topic: healthTopic('a', 'c1', 'P'),
          payload: { collector: 'c1', producer: 'P', state: 'sleepy' },
        }),
      BrokerMessageError,
    );
  });
});
