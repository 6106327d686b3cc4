import assert from 'node:assert/strict';
import {
  makeCondition,
  OPERATOR_SIGNS,
  OPERATORS,
  parseDuration,
  parseRule,
  parseRules,
  RuleProblem,
} from '../../lib/alert/rules';

function problemOf(fn: () => unknown): RuleProblem {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RuleProblem, String(err));
    return err;
  }
  assert.fail('expected a RuleProblem');
}

describe('lib/alert/rules', () => {
  it('parseDuration: units, combinations, bare seconds, empty and nonsense', () => {
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('10 min'), 600_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1.5'), 1500);
    assert.equal(parseDuration(' 2M '), 120_000, 'case-insensitive, trimmed');
    assert.equal(parseDuration(3), 3000);
    assert.equal(parseDuration(''), 0);
    assert.equal(parseDuration(undefined, 7), 7);
    assert.equal(parseDuration(null, 7), 7);
    for (const bad of ['10x', 'h', '-5s', '1d', -1, NaN, Infinity, '__proto__'])
      assert.ok(Number.isNaN(parseDuration(bad)), String(bad));
  });

  it('every operator has a sign', () => {
    for (const op of OPERATORS) assert.equal(typeof OPERATOR_SIGNS[op], 'string');
  });

  it('eq / ne compare text and numbers; undefined and null (UNKNOWN) never match', () => {
    const eq = makeCondition('f', 'eq', '5');
    assert.deepEqual(
      [eq.test('5'), eq.test(5), eq.test(5.0), eq.test('05'), eq.test(null), eq.test(undefined)],
      [true, true, true, false, false, false],
    );
    const ne = makeCondition('f', 'ne', 'READY');
    assert.deepEqual(
      [ne.test('BUSY'), ne.test('READY'), ne.test(null), ne.test(undefined)],
      [true, false, false, false],
    );
    assert.equal(makeCondition('f', 'eq', '').test(0), false, 'an empty value is not the number 0');
  });

  it('in matches any listed value, trimmed, ignoring empty entries', () => {
    const c = makeCondition('f', 'in', ' NOT_READY, ACW ,,');
    assert.deepEqual(
      [c.test('ACW'), c.test('NOT_READY'), c.test(''), c.test('READY'), c.test(null)],
      [true, true, false, false, false],
    );
  });

  it('comparisons accept numbers and numeric strings only', () => {
    const gt = makeCondition('f', 'gt', '10');
    assert.deepEqual(
      [gt.test(11), gt.test('11'), gt.test(10), gt.test(''), gt.test(' '), gt.test('x'), gt.test(null), gt.test(true)],
      [true, true, false, false, false, false, false, false],
    );
    assert.equal(makeCondition('f', 'ge', '10').test(10), true);
    assert.equal(makeCondition('f', 'lt', '10').test('9'), true);
    assert.equal(makeCondition('f', 'le', '10').test(10.5), false);
  });

  it('parseRule fills defaults and reads every part of a measure rule', () => {
    const r = parseRule(
      {
        field: 'agentState',
        value: 'NOT_READY',
        duration: '10m',
        durationBy: 'nrReasonCodeName',
        durations: [{ value: 'Lunch', duration: '60m' }, null, 'junk'],
        repeat: '5m',
        clearDelay: 30,
        scopeField: 'groupId',
        scopeOp: 'in',
        scopeValue: '1,2',
      },
      2,
    );
    assert.equal(r.id, 'rule3');
    assert.equal(r.name, '');
    assert.equal(r.kind, 'measure');
    assert.equal(r.condition?.op, 'eq');
    assert.equal(r.condition?.test('NOT_READY'), true);
    assert.equal(r.durationMs, 600_000);
    assert.deepEqual([...r.durations], [['Lunch', 3_600_000]]);
    assert.equal(r.repeatMs, 300_000);
    assert.equal(r.clearMs, 30_000);
    assert.equal(r.scope?.test('2'), true);
  });

  it('parseRule: a feed rule needs no field; problems are named', () => {
    const feed = parseRule({ id: 'f', kind: 'feed', duration: '1m' }, 0);
    assert.deepEqual([feed.kind, feed.condition, feed.durationMs], ['feed', null, 60_000]);
    assert.equal(problemOf(() => parseRule({}, 0)).key, 'no-field');
    assert.equal(problemOf(() => parseRule({ field: 'f', op: 'like' }, 0)).key, 'bad-op');
    assert.equal(problemOf(() => parseRule({ field: 'f', op: '__proto__' }, 0)).key, 'bad-op');
    assert.equal(problemOf(() => parseRule({ field: 'f', op: 'gt', value: 'ten' }, 0)).key, 'not-a-number');
    assert.equal(problemOf(() => parseRule({ field: 'f', duration: 'soon' }, 0)).key, 'bad-duration');
    assert.equal(problemOf(() => parseRule({ field: 'f', repeat: 'x' }, 0)).key, 'bad-repeat');
    assert.equal(problemOf(() => parseRule({ field: 'f', clearDelay: 'x' }, 0)).key, 'bad-clear');
    const p = problemOf(() => parseRule({ name: 'Lunch', field: 'f', duration: 'soon' }, 0));
    assert.equal(p.message, 'rule Lunch: bad-duration soon');
  });

  it('parseRules keeps the good rules, reports the bad ones and duplicate ids', () => {
    const { rules, problems } = parseRules([
      { id: 'a', field: 'x' },
      { id: 'a', field: 'y' },
      { field: 'z', op: 'bad' },
      null,
      { id: 'b', kind: 'feed' },
    ]);
    assert.deepEqual(
      rules.map((r) => r.id),
      ['a', 'b'],
    );
    assert.deepEqual(
      problems.map((p) => p.key),
      ['duplicate-id', 'bad-op', 'no-field'],
    );
    assert.deepEqual(parseRules('not a list'), { rules: [], problems: [] });
  });
});
