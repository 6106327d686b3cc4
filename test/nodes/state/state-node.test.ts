// avaya-analytics-state through the Node-RED test helper, fed with msgs in the subscribe node's shape:
// the guide's scollins sequence, deletes, resync eviction, commands, options, labels, bad input and
// hostile keys (with Node-RED cloning the msgs for two wires).
import assert from 'node:assert/strict';
import { at } from '../../state/fixtures/at';
import {
  PUMPUP_FRAMES,
  READY_CHANGED_MEASURES,
  READY_NOT_READY_FRAMES,
  expectedFinalRecord,
} from '../../state/fixtures/guide-scollins';
import { collect, unload } from '../../helpers/node-red-test-helper';
import { lifecycleMessage } from '../../../lib/flow-messages';
import { makeCause } from '../../../lib/client/cause';
import { controlMsg, dataMsg, guideMsg } from '../../helpers/contract-messages';
import { start, T, type Harness } from '../../helpers/state-node-flow';
import { until } from '../../helpers/wait';

const AGENT = 'Agent_SoD_3.5';
const BY_ACCOUNT = 'AgentByAccount_SoD_3.5';

/** Three agents, synced by a pumpup. */
async function seeded(h: Harness): Promise<void> {
  h.send(
    dataMsg({ agentId: 'a' }, { agentState: 'READY', offered: 1 }, { pumpup: true }),
    dataMsg({ agentId: 'b' }, { agentState: 'READY', offered: 2 }, { pumpup: true }),
    dataMsg({ agentId: 'c' }, { agentState: 'READY', offered: 3 }, { pumpup: true }),
    controlMsg('pumpupComplete'),
  );
  const snap = await h.snapshot();
  assert.equal(snap.count, 3);
  assert.equal(snap.synced, true);
  h.out.length = 0;
}

/** A record: an entity's dimension fields and measures. */
type Row = Record<string, unknown>;
/** What the tests read of a change msg (output 1). */
interface Change {
  eventAction: string;
  topic: string;
  changed: string[];
  evicted?: boolean;
  payload: Row;
  previous: Row;
}
/** The records of a snapshot reply, by entity key. */
const rowsOf = (reply: { payload?: unknown }): Record<string, Row> => reply.payload as Record<string, Row>;
/** The message of a caught msg's error. */
const errorMessage = (m: { error?: unknown }): string => (m.error as { message: string }).message;

function withoutDerived(record: Row): Row {
  const rest = { ...record };
  delete rest.stateSince;
  delete rest.timeInStateMs;
  return rest;
}

describe('avaya-analytics-state node', function () {
  afterEach(unload);

  describe('the guide scollins sequence', () => {
    it('accumulates the pumpup rows and the READY/NOT_READY deltas into the exact record', async () => {
      const h = await start();
      for (const frame of PUMPUP_FRAMES) h.send(guideMsg(frame));
      await until('three pumpup outputs', () => h.changes().length === 3);
      for (const m of h.changes()) {
        assert.equal(m.synced, false, 'not synced before pumpupComplete');
        assert.equal(m.pumpup, true);
        assert.equal(m.topic, 'Agent_SoD_3.5/agentId=scollins');
        assert.equal(m.eventAction, 'UPSERT');
      }
      assert.equal((at(h.changes(), 0) as Change).changed.length, 74);
      assert.deepEqual(at(h.changes(), 1).changed, ['active']);
      const synced = await h.snapshot();
      assert.equal(synced.synced, true);
      assert.equal(h.changes().length, 3, 'pumpupComplete of a complete pumpup sends nothing');
      assert.deepEqual(
        h.lifecycle().map((m) => `${m.control}:${m.producer}:${m.synced}`),
        ['pumpupComplete:Agent_SoD_3.5:true'],
        'the event is passed on once, with where the view stands',
      );
      assert.equal(h.out.indexOf(at(h.lifecycle(), 0)), 3, 'after the rows it completes');

      const before = Date.now();
      for (const frame of READY_NOT_READY_FRAMES) h.send(guideMsg(frame));
      await until('six delta outputs', () => h.changes().length === 9);
      const after = Date.now();
      const deltas = h.changes().slice(3);
      for (const m of deltas) assert.equal(m.synced, true);

      const ready = at(deltas, 1) as Change;
      assert.equal(ready.payload.agentState, 'READY');
      assert.deepEqual(ready.changed, [...READY_CHANGED_MEASURES]);
      assert.equal(ready.previous.agentState, 'NOT_READY');
      assert.equal(ready.previous.lastStateChangeTimestamp, 1496919128431);
      assert.equal(ready.payload.stateSince, 1496919456478);

      const last = at(deltas, 5) as Change;
      assert.deepEqual({ ...withoutDerived(last.payload) }, expectedFinalRecord());
      assert.equal(last.payload.stateSince, 1496919465193);
      const timeInStateMs = last.payload.timeInStateMs as number;
      assert.ok(timeInStateMs >= before - 1496919465193 && timeInStateMs <= after - 1496919465193);
      assert.deepEqual(last.changed, ['lastStateChangeTimestamp']);
      assert.deepEqual({ ...last.previous }, { lastStateChangeTimestamp: 1496919465045 });
      await until('synced status', () => h.status.includes(`${T}.status.synced`));
      assert.equal(h.caught.length, 0);
    });

    it('reuses the input msg: _msgid and the flow’s own properties travel on', async () => {
      const h = await start();
      h.send({ ...dataMsg({ agentId: 'a' }, { n: 1 }), _msgid: 'keep-me', ticket: 42 });
      const m = await until('output', () => h.out[0]);
      assert.equal(m._msgid, 'keep-me');
      assert.equal(m.ticket, 42);
    });
  });

  describe('deletes and resync', () => {
    it('sends the last record with eventAction DELETE and drops the entity', async () => {
      const h = await start();
      await seeded(h);
      h.send(dataMsg({ agentId: 'b' }, {}, { eventAction: 'DELETE' }));
      const del = await until('delete output', () => h.out[0]);
      assert.equal(del.eventAction, 'DELETE');
      assert.equal(del.topic, 'Agent_SoD_3.5/agentId=b');
      assert.deepEqual({ ...del.payload }, { agentId: 'b', agentState: 'READY', offered: 2 });
      assert.deepEqual(del.changed, []);
      assert.equal(del.evicted, undefined);
      const snap = await h.snapshot();
      assert.deepEqual(Object.keys(rowsOf(snap)), ['Agent_SoD_3.5/agentId=a', 'Agent_SoD_3.5/agentId=c']);
    });

    it('resyncs after a reconnect: unchanged entities stay quiet, changes are sent, vanished ones are evicted', async () => {
      const h = await start();
      await seeded(h);
      h.send(controlMsg('disconnected'));
      assert.equal((await h.snapshot()).synced, false);
      h.send(
        controlMsg('connected'),
        dataMsg({ agentId: 'a' }, { agentState: 'READY', offered: 1 }, { pumpup: true }),
        dataMsg({ agentId: 'b' }, { agentState: 'NOT_READY' }, { pumpup: true }),
        controlMsg('pumpupComplete'),
      );
      const snap = await h.snapshot();
      assert.equal(snap.synced, true);
      const changes = (h.changes() as Change[]).map(
        (m) => `${m.eventAction}:${m.topic}:${m.changed.join(',')}:${m.evicted === true}`,
      );
      assert.deepEqual(changes, [
        'UPSERT:Agent_SoD_3.5/agentId=b:agentState:false',
        'UPSERT:Agent_SoD_3.5/agentId=b:offered:false',
        'DELETE:Agent_SoD_3.5/agentId=c::true',
      ]);
      assert.deepEqual({ ...rowsOf(snap)['Agent_SoD_3.5/agentId=b'] }, { agentId: 'b', agentState: 'NOT_READY' });
      assert.equal(rowsOf(snap)['Agent_SoD_3.5/agentId=c'], undefined);
      assert.equal(snap.count, 2);
    });
  });

  describe('commands', () => {
    async function twoProducers(h: Harness): Promise<void> {
      h.send(
        dataMsg({ agentId: 'a' }, { n: 1 }, { pumpup: true }),
        dataMsg({ agentId: 'b' }, { n: 2 }, { pumpup: true }),
        controlMsg('pumpupComplete'),
        dataMsg({ agentId: 'a', accountId: '1', channelId: 'Voice' }, { n: 3 }, { producer: BY_ACCOUNT }),
        dataMsg({ agentId: 'a', accountId: '2', channelId: 'Chat' }, { n: 4 }, { producer: BY_ACCOUNT }),
      );
      await h.snapshot();
      h.out.length = 0;
    }

    it('snapshot: every record, by producer, by dimension value', async () => {
      const h = await start();
      await twoProducers(h);
      const all = await h.snapshot();
      assert.equal(all.count, 4);
      assert.equal(all.synced, false, 'AgentByAccount has not completed a pumpup');
      assert.equal(Object.getPrototypeOf(all.payload), null);
      const agents = await h.snapshot({ producer: AGENT });
      assert.deepEqual(Object.keys(rowsOf(agents)), ['Agent_SoD_3.5/agentId=a', 'Agent_SoD_3.5/agentId=b']);
      assert.equal(agents.synced, true);
      const ofA = await h.snapshot({ dimension: { agentId: 'a' } });
      assert.equal(ofA.count, 3);
      const chat = await h.snapshot({ producer: BY_ACCOUNT, dimension: { channelId: 'Chat' } });
      assert.deepEqual(
        Object.values(rowsOf(chat)).map((r) => r.n),
        [4],
      );
    });

    it('get: by topic, by producer and dimension, and unknown entities', async () => {
      const h = await start();
      await twoProducers(h);
      h.send({ action: 'get', topic: 'Agent_SoD_3.5/agentId=b', id: 1 });
      h.send({
        action: 'get',
        producer: BY_ACCOUNT,
        dimension: { channelId: 'Voice', accountId: '1', agentId: 'a' },
        id: 2,
      });
      h.send({ action: 'get', topic: 'Agent_SoD_3.5/agentId=zz', id: 3 });
      await until('three replies', () => h.out.length === 3);
      const replies = [1, 2, 3].map((id) => h.out.find((m) => m.id === id));
      const byTopic = at(replies, 0);
      const byDimension = at(replies, 1);
      const unknown = at(replies, 2);
      assert.equal(byTopic.found, true);
      assert.deepEqual({ ...byTopic.payload }, { agentId: 'b', n: 2 });
      assert.equal(byTopic.synced, true);
      assert.equal(byDimension.found, true);
      assert.equal(byDimension.topic, 'AgentByAccount_SoD_3.5/accountId=1/agentId=a/channelId=Voice');
      assert.equal((byDimension.payload as Row).n, 3);
      assert.equal(byDimension.synced, false);
      assert.equal(unknown.found, false);
      assert.equal(unknown.payload, null);
    });

    it('reset: one producer, then everything, without output', async () => {
      const h = await start();
      await twoProducers(h);
      h.send({ action: 'reset', producer: AGENT });
      assert.equal((await h.snapshot()).count, 2);
      h.send({ action: 'reset' });
      const empty = await h.snapshot();
      assert.equal(empty.count, 0);
      assert.equal(empty.synced, false);
      assert.equal(h.changes().length, 0);
      await until('waiting status', () => h.status.at(-1) === `${T}.status.waiting`);
    });

    it("names why the view is not synced when the lifecycle event says it (a subscribe node's cause)", async () => {
      const h = await start();
      await seeded(h);
      await until('synced status', () => h.status.at(-1) === `${T}.status.synced`);
      h.send(lifecycleMessage(AGENT, 'disconnected', 'm-1', 'the CA', makeCause('tls-untrusted', 'TLS: …')));
      await until('the reason in the status', () => h.status.at(-1) === `${T}.status.unsynced-why`);
      await h.snapshot();
      h.send(controlMsg('pumpupComplete'));
      await until('synced again', () => h.status.at(-1) === `${T}.status.synced`);
    });

    it('passes on the reply of a subscribe node\'s "stats" action unchanged', async () => {
      const h = await start();
      h.send({ action: 'stats', payload: { state: 'ready', malformedFrames: 0 }, marker: 'stats-reply' });
      const reply = await until('the reply passed on', () => h.out.find((m) => m.marker === 'stats-reply'));
      assert.deepEqual(reply.payload, { state: 'ready', malformedFrames: 0 });
      assert.equal(h.caught.length, 0);
      assert.equal((await h.snapshot()).count, 0, 'not taken for data');
    });

    it('reports unknown actions and bad command properties to a Catch node', async () => {
      const h = await start();
      h.send(
        { action: 'explode' },
        { action: 'get', producer: AGENT, dimension: 'agentId=a' },
        { action: 'get' },
        { action: 'snapshot', producer: 7 },
      );
      await until('four errors', () => h.caught.length === 4);
      assert.deepEqual(
        h.caught.map(errorMessage),
        [`unknown-action`, `bad-dimension`, `not-a-string`, `not-a-string`].map((key) => `Error: ${T}.errors.${key}`),
      );
      assert.equal(h.out.length, 0);
    });
  });

  describe('bad input', () => {
    it('reports unusable data and control msgs to a Catch node and changes nothing', async () => {
      const h = await start();
      await seeded(h);
      h.send(
        { ...dataMsg({ agentId: 'a' }, { n: 1 }), producer: undefined },
        { ...dataMsg({ agentId: 'a' }, { n: 1 }), dimension: 'agentId=a' },
        dataMsg({ agentId: 'a' }, { offered: { nested: true }, agentState: 'NOT_READY' }),
        dataMsg({ agentId: 'a' }, '{"offered":5}' as unknown as Record<string, unknown>),
        { ...dataMsg({ agentId: 'a' }, { n: 1 }), eventAction: 'MERGE' },
        { control: 'pumpupComplete' },
        { labels: 'not a map' },
        { payload: 1733300000000, topic: '' },
        { control: 'rebooted', producer: AGENT },
      );
      await until('nine errors', () => h.caught.length === 9);
      assert.deepEqual(
        h.caught.map(errorMessage),
        [
          'unknown-msg',
          'unknown-msg',
          'bad-input',
          'bad-input',
          'bad-input',
          'no-producer',
          'bad-input',
          'unknown-msg',
          'unknown-control',
        ].map((key) => `Error: ${T}.errors.${key}`),
        'not data at all (no producer, no dimension object): named as such; data with bad values: refused by the store',
      );
      const snap = await h.snapshot();
      assert.deepEqual(
        { ...rowsOf(snap)['Agent_SoD_3.5/agentId=a'] },
        { agentId: 'a', agentState: 'READY', offered: 1 },
      );
      assert.equal(h.changes().length, 0);
    });
  });

  describe('options', () => {
    it('emit "measures": only changes of the chosen measures (and deletes) are sent', async () => {
      const h = await start({ emit: 'measures', measures: 'agentState, nrReasonCode' });
      await seeded(h);
      h.send(
        dataMsg({ agentId: 'a' }, { offered: 9 }),
        dataMsg({ agentId: 'a' }, { agentState: 'NOT_READY', offered: 10 }),
        dataMsg({ agentId: 'b' }, { nrReasonCode: '3' }),
        dataMsg({ agentId: 'c' }, {}, { eventAction: 'DELETE' }),
      );
      await h.snapshot();
      assert.deepEqual(
        (h.changes() as Change[]).map((m) => `${m.eventAction}:${m.topic}:${m.changed.join(',')}`),
        [
          'UPSERT:Agent_SoD_3.5/agentId=a:agentState,offered',
          'UPSERT:Agent_SoD_3.5/agentId=b:nrReasonCode',
          'DELETE:Agent_SoD_3.5/agentId=c:',
        ],
      );
      assert.equal((at(h.changes(), 0) as Change).payload.offered, 10, 'the record still has every measure');
    });

    it('emit "never": nothing is sent, queries still answer', async () => {
      const h = await start({ emit: 'never' });
      h.send(
        dataMsg({ agentId: 'a' }, { n: 1 }),
        dataMsg({ agentId: 'a' }, { n: 2 }),
        dataMsg({ agentId: 'a' }, {}, { eventAction: 'DELETE' }),
      );
      h.send(dataMsg({ agentId: 'b' }, { n: 3 }));
      const snap = await h.snapshot();
      assert.deepEqual(Object.keys(rowsOf(snap)), ['Agent_SoD_3.5/agentId=b']);
      assert.equal(h.changes().length, 0);
    });

    it('max entities: warns once, shows it, ignores new entities and keeps updating the others', async () => {
      const h = await start({ maxEntities: 2 });
      h.send(
        dataMsg({ agentId: 'a' }, { n: 1 }),
        dataMsg({ agentId: 'b' }, { n: 1 }),
        dataMsg({ agentId: 'c' }, { n: 1 }),
        dataMsg({ agentId: 'd' }, { n: 1 }),
      );
      h.send(dataMsg({ agentId: 'a' }, { n: 2 }));
      const snap = await h.snapshot();
      assert.equal(snap.count, 2);
      assert.deepEqual(
        h.changes().map((m): unknown => m.topic),
        ['Agent_SoD_3.5/agentId=a', 'Agent_SoD_3.5/agentId=b', 'Agent_SoD_3.5/agentId=a'],
      );
      assert.deepEqual(h.warnings(), [`${T}.warn.full`]);
      await until('full status', () => h.status.includes(`${T}.status.full`));
      h.send(dataMsg({ agentId: 'b' }, {}, { eventAction: 'DELETE' }), dataMsg({ agentId: 'c' }, { n: 1 }));
      assert.equal(rowsOf(await h.snapshot())['Agent_SoD_3.5/agentId=c']!.n, 1, 'room again after a delete');
      assert.equal(h.caught.length, 0);
    });

    it('derived fields can be turned off', async () => {
      const h = await start({ derived: false });
      h.send(dataMsg({ agentId: 'a' }, { lastStateChangeTimestamp: 1496919456478 }));
      const m = await until('output', () => h.out[0]);
      assert.equal('stateSince' in m.payload, false);
      assert.equal('timeInStateMs' in m.payload, false);
    });

    it('warns about unusable settings and falls back to the defaults', async () => {
      const h = await start({ emit: 'sometimes', maxEntities: -3, persist: 'global', persistKey: 'a.b' });
      assert.deepEqual(h.warnings().sort(), [`${T}.warn.bad-emit`, `${T}.warn.bad-key`, `${T}.warn.bad-max`]);
      h.send(dataMsg({ agentId: 'a' }, { n: 1 }));
      await until('output with emit "all"', () => h.out[0]);
    });
  });

  describe('labels from a dictionary', () => {
    it('adds msg.labels of the producer (or labels without a producer) to later outputs', async () => {
      const h = await start();
      h.send({
        topic: AGENT,
        producer: AGENT,
        locale: 'de',
        payload: { producerId: AGENT, measures: [{ name: 'agentState', displayName: 'Agentenstatus' }] },
        labels: { agentState: 'Agentenstatus', agentId: 'Agent' },
      });
      h.send(dataMsg({ agentId: 'a' }, { agentState: 'READY' }));
      h.send(dataMsg({ agentId: 'a', accountId: '1', channelId: 'Voice' }, { n: 1 }, { producer: BY_ACCOUNT }));
      await until('two outputs', () => h.out.length === 2);
      assert.equal((at(h.out, 0).labels as Record<string, string>).agentState, 'Agentenstatus');
      assert.equal(Object.isFrozen(at(h.out, 0).labels), true);
      assert.equal(at(h.out, 1).labels, undefined);
      h.send({ payload: { measures: [{ name: 'n', displayName: 'Anzahl' }] }, labels: { n: 'Anzahl' } });
      h.send(dataMsg({ agentId: 'a', accountId: '1', channelId: 'Voice' }, { n: 2 }, { producer: BY_ACCOUNT }));
      await until('third output', () => h.out.length === 3);
      assert.equal((at(h.out, 2).labels as Record<string, string>).n, 'Anzahl');
      assert.equal(h.caught.length, 0);
    });
  });

  describe('hostile keys', () => {
    it('keeps __proto__, constructor and prototype as plain fields, and Node-RED cloning pollutes nothing', async () => {
      const h = await start({}, ['out2']);
      const out2 = collect('out2');
      const dimension = JSON.parse('{"__proto__":"p","agentId":"constructor"}') as Record<string, string>;
      const measures = JSON.parse('{"__proto__":"x","constructor":"c","prototype":1,"toString":"t"}') as Row;
      h.send(dataMsg(dimension, measures));
      await until('both outputs', () => h.out.length === 1 && out2.length === 1);
      const all = [
        ['__proto__', 'p'],
        ['agentId', 'constructor'],
        ['constructor', 'c'],
        ['prototype', 1],
        ['toString', 't'],
      ];
      // The first wire gets the node's msg; the second a clone by Node-RED (lodash.clonedeep 4.5), which
      // turns the record into a plain object and so drops a "__proto__" field (a string cannot become a
      // prototype): the field is lost in the copy, nothing is polluted.
      const [original, clone] = Object.hasOwn(at(h.out, 0).payload as Row, '__proto__')
        ? [at(h.out, 0), at(out2, 0)]
        : [at(out2, 0), at(h.out, 0)];
      assert.deepEqual(Object.entries(original.payload as Row), all);
      assert.equal(Object.getPrototypeOf(original.payload), null);
      assert.deepEqual(Object.entries(clone.payload as Row), all.slice(1));
      assert.equal(Object.getPrototypeOf(clone.payload), Object.prototype);
      for (const m of [original, clone]) {
        assert.deepEqual(m.changed, ['__proto__', 'constructor', 'prototype', 'toString']);
        assert.equal(m.topic, 'Agent_SoD_3.5/__proto__=p/agentId=constructor');
      }
      h.send({ action: 'get', topic: 'Agent_SoD_3.5/__proto__=p/agentId=constructor' });
      const reply = await until('get reply', () => h.out.find((m) => m.action === 'get'));
      assert.equal(reply.found, true);
      const replied = reply.payload as Row;
      assert.equal(replied.prototype, 1);
      assert.equal(replied.__proto__, 'p');
      const probe: Record<string, unknown> = {};
      assert.equal(probe.constructor, Object);
      assert.equal(probe.prototype, undefined);
      assert.equal(Object.keys(Object.prototype).length, 0);
    });
  });
});
