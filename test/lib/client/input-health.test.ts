// InputHealth on the fake clock: bad input is reported at most once a second and logged at most once a
// minute, summing up everything since the previous line; dispose() leaves no timer.
import assert from 'node:assert/strict';
import type { FaultCause } from '../../../lib/api';
import { InputHealth, INPUT_LOG_INTERVAL_MS, INPUT_REPORT_INTERVAL_MS } from '../../../lib/client/input-health';
import { FakeClock } from '../../helpers/fake-clock';

function setup() {
  const clock = new FakeClock();
  const warnings: string[] = [];
  const reports: FaultCause[] = [];
  const logger = { error() {}, warn: (m: string) => warnings.push(m), info() {}, debug() {}, trace() {} };
  const health = new InputHealth(
    logger,
    (t) => t.replace('secret', '***'),
    (c) => reports.push(c),
    clock,
  );
  return { clock, warnings, reports, health };
}

describe('lib/client InputHealth', () => {
  it('reports and logs the first problem at once, then at most once a second / a minute', () => {
    const { clock, warnings, reports, health } = setup();
    health.malformed('bad JSON', '{"secret"');
    assert.equal(reports.length, 1);
    assert.equal(reports[0]?.kind, 'bad-frames');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /1 × malformed frame \(bad JSON\); last: \{"\*\*\*"/);
    for (let i = 0; i < 100; i++) health.malformed('bad JSON', 'x');
    assert.equal(reports.length, 1, 'nothing more within the second');
    clock.advance(INPUT_REPORT_INTERVAL_MS);
    assert.equal(reports.length, 2);
    assert.equal(reports[1]?.value, 101);
    assert.equal(warnings.length, 1, 'nothing more within the minute');
    clock.advance(INPUT_LOG_INTERVAL_MS);
    assert.equal(warnings.length, 2);
    assert.match(warnings[1] ?? '', /100 × malformed frame \(bad JSON\)/);
    assert.equal(health.counts.malformedFrames, 101);
  });

  it('counts dropped values, and bad frames outrank them in the cause', () => {
    const { health } = setup();
    assert.equal(health.cause(), null);
    health.dropped({ hostileKeys: 1, nestedValues: 2, longStrings: 0, names: ['__proto__', 'x'] });
    assert.equal(health.cause()?.kind, 'dropped-input');
    assert.equal(health.cause()?.value, 3);
    health.malformed('bad JSON', '');
    assert.equal(health.cause()?.kind, 'bad-frames');
    health.dispose();
  });

  it('dispose() clears its timers', () => {
    const { clock, health, reports } = setup();
    health.malformed('a', '');
    health.malformed('a', '');
    assert.ok(clock.pending > 0);
    health.dispose();
    assert.equal(clock.pending, 0);
    clock.advance(INPUT_LOG_INTERVAL_MS);
    assert.equal(reports.length, 1);
  });
});
