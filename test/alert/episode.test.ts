import assert from 'node:assert/strict';
import {
  alertEvent,
  ALERTS_FORMAT,
  ALERTS_VERSION,
  Episode,
  persistedEpisodes,
  persistEpisodes,
  restoreEpisode,
} from '../../lib/alert/episode';
import type { PersistedEpisode } from '../../lib/alert/episode';
import { parseRule } from '../../lib/alert/rules';

const rule = parseRule({ id: 'nr', field: 'agentState', value: 'NOT_READY', duration: '10m' }, 0);

function raised(): Episode {
  const ep = new Episode('nr/P/agentId=7', rule, 'P/agentId=7', 'P');
  ep.state = 'raised';
  ep.since = 1000;
  ep.raisedAt = 2000;
  ep.repeats = 2;
  ep.acked = true;
  ep.clearFrom = 0;
  ep.value = 'NOT_READY';
  ep.by = 'Lunch';
  ep.limitMs = rule.durationMs;
  return ep;
}

describe('lib/alert/episode', () => {
  it('persists and restores an episode unchanged', () => {
    const data = JSON.parse(JSON.stringify(persistEpisodes([raised()]))) as unknown;
    const entries = persistedEpisodes(data);
    assert.equal(entries.length, 1);
    const back = restoreEpisode(entries[0] as PersistedEpisode, rule);
    assert.ok(back);
    const fields = (e: Episode): unknown[] => [
      e.id,
      e.rule,
      e.key,
      e.producer,
      e.state,
      e.since,
      e.limitMs,
      e.raisedAt,
      e.repeats,
      e.acked,
      e.clearFrom,
      e.value,
      e.by,
    ];
    assert.deepEqual(fields(back), fields(raised()));
    assert.deepEqual([back.timerGen, back.due], [0, -1]);
  });

  it('persists only scalar values and by-values', () => {
    const ep = raised();
    ep.value = { toString: () => 'x' };
    ep.by = [1];
    const p = persistEpisodes([ep]);
    assert.deepEqual([p.format, p.version], [ALERTS_FORMAT, ALERTS_VERSION]);
    assert.ok(!('value' in (p.episodes[0] ?? {})) && !('by' in (p.episodes[0] ?? {})));
    ep.value = null;
    ep.by = false;
    assert.deepEqual([persistEpisodes([ep]).episodes[0]?.value, persistEpisodes([ep]).episodes[0]?.by], [null, false]);
  });

  it('persistedEpisodes ignores foreign data and entries without string id, key and producer', () => {
    for (const bad of [null, 'x', 5, {}, { format: 'other', episodes: [] }, { format: ALERTS_FORMAT, episodes: 'x' }])
      assert.deepEqual(persistedEpisodes(bad), []);
    const entries = persistedEpisodes({
      format: ALERTS_FORMAT,
      version: 1,
      episodes: [
        null,
        7,
        { id: 1, key: 'k', producer: 'p' },
        { id: 'i', key: 'k' },
        { id: 'i', key: 'k', producer: 'p' },
      ],
    });
    assert.deepEqual(entries, [{ id: 'i', key: 'k', producer: 'p' }]);
  });

  it('restoreEpisode refuses an id of another rule or key and repairs bad numbers and states', () => {
    const base = { key: 'k', producer: 'p', since: 1, raisedAt: 2, repeats: 3, acked: true, clearFrom: 4 };
    assert.equal(restoreEpisode({ ...base, id: 'other/k', rule: 'other', state: 'raised' }, rule), null);
    assert.equal(restoreEpisode({ ...base, id: 'nr/k2', rule: 'nr', state: 'raised' }, rule), null);
    const hostile = {
      ...base,
      id: 'nr/k',
      rule: 'nr',
      state: '__proto__',
      since: 'x',
      raisedAt: NaN,
      repeats: Infinity,
      acked: 'yes',
    } as unknown as PersistedEpisode;
    const ep = restoreEpisode(hostile, rule);
    assert.ok(ep);
    assert.deepEqual(
      [ep.state, ep.since, ep.raisedAt, ep.repeats, ep.acked, ep.clearFrom],
      ['pending', 0, 0, 0, false, 4],
    );
    assert.equal(ep.limitMs, 600_000);
  });

  it('alertEvent copies the episode and adds the reason only when given', () => {
    const e = alertEvent(raised(), 'clear', { agentState: 'READY' }, { agentId: '7' }, 5000, 'deleted');
    assert.equal(e.alert, 'clear');
    assert.equal(e.id, 'nr/P/agentId=7');
    assert.deepEqual([e.since, e.at, e.raisedAt, e.repeats, e.acked, e.limitMs], [1000, 5000, 2000, 2, true, 600_000]);
    assert.deepEqual([e.value, e.by, e.reason], ['NOT_READY', 'Lunch', 'deleted']);
    assert.ok(!('reason' in alertEvent(raised(), 'raise', null, null, 0)));
  });
});
