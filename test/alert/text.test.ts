import assert from 'node:assert/strict';
import { alertEvent, Episode } from '../../lib/alert/episode';
import { parseRule } from '../../lib/alert/rules';
import { describeAlert, entityName, formatDuration } from '../../lib/alert/text';
import type { Texts } from '../../lib/alert/text';

/** Renders "key{name=value,…}" so the tests see which template and substitutions were used. */
const t: Texts = (key, subs) =>
  subs === undefined
    ? key
    : `${key}{${Object.entries(subs)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',')}}`;

const MIN = 60_000;

describe('lib/alert/text', () => {
  it('entityName prefers name fields, then sorted dimension values, then the key', () => {
    assert.equal(entityName({ name: 'n', agentDisplayName: 'Siobhan' }, { agentId: '7' }, 'k'), 'Siobhan');
    assert.equal(entityName({ agentDisplayName: '  ', name: 7 }, { b: '2', a: '1' }, 'k'), '1, 2');
    assert.equal(entityName(null, {}, 'k'), 'k');
    assert.equal(entityName(null, null, 'k'), 'k');
  });

  it('formatDuration rounds down: seconds, minutes up to 119, then hours (with minutes)', () => {
    assert.equal(formatDuration(-5, t), 'unit.s{n=0}');
    assert.equal(formatDuration(59_999, t), 'unit.s{n=59}');
    assert.equal(formatDuration(62 * MIN, t), 'unit.min{n=62}');
    assert.equal(formatDuration(119 * MIN + 59_999, t), 'unit.min{n=119}');
    assert.equal(formatDuration(120 * MIN, t), 'unit.h{n=2}');
    assert.equal(formatDuration(125 * MIN, t), 'unit.hmin{h=2,m=5}');
  });

  it('describes a state rule raise with the reason, and a compare rule with its sign', () => {
    const rule = parseRule({ id: 'nr', name: 'Not ready', field: 'agentState', value: 'NOT_READY' }, 0);
    const ep = new Episode('nr/k', rule, 'k', 'P');
    ep.value = 'NOT_READY';
    ep.by = 'Lunch';
    ep.since = 0;
    const text = describeAlert(
      alertEvent(ep, 'raise', { agentDisplayName: 'Siobhan Collins', agentState: 'NOT_READY' }, null, 62 * MIN),
      t,
    );
    assert.equal(
      text,
      'raise.state{entity=Siobhan Collins,rule=Not ready,held=unit.min{n=62},field=agentState,sign==,limit=NOT_READY,value=NOT_READY (Lunch),now=NOT_READY}',
    );
    const gt = parseRule({ id: 'q', field: 'waiting', op: 'gt', value: '5' }, 0);
    const ep2 = new Episode('q/k', gt, 'k', 'P');
    ep2.value = 7;
    ep2.by = 7;
    const cmp = describeAlert(alertEvent(ep2, 'repeat', { waiting: null }, { vdn: '1' }, 1000), t);
    assert.equal(
      cmp,
      'repeat.compare{entity=1,rule=q,held=unit.s{n=1},field=waiting,sign=>,limit=5,value=7,now=UNKNOWN}',
    );
  });

  it('shows an unknown value as "?" and uses the clear reason template for a non-condition clear', () => {
    const rule = parseRule({ id: 'r', field: 'f', value: 'v' }, 0);
    const ep = new Episode('r/k', rule, 'k', 'P');
    assert.match(describeAlert(alertEvent(ep, 'clear', null, null, 0), t), /value=\?,now=\?/);
    assert.equal(
      describeAlert(alertEvent(ep, 'clear', null, null, 0, 'evicted'), t),
      'clear.evicted{entity=k,rule=r,held=unit.s{n=0}}',
    );
    assert.match(describeAlert(alertEvent(ep, 'clear', null, null, 0, 'condition'), t), /^clear\.state\{/);
  });

  it('describes a feed rule by producer and lifecycle event', () => {
    const rule = parseRule({ id: 'feed', kind: 'feed' }, 0);
    const ep = new Episode('feed/P', rule, 'P', 'P');
    ep.value = 'stale';
    assert.equal(
      describeAlert(alertEvent(ep, 'raise', null, null, 3000), t),
      'feed.raise{producer=P,event=event.stale,held=unit.s{n=3},rule=feed}',
    );
  });
});
