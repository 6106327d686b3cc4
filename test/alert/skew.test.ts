// lib/alert/skew.ts: the producer clock offset, as the median age of recent live state changes.
import assert from 'node:assert/strict';
import { SkewEstimate } from '../../lib/alert/skew';

describe('clock skew (lib/alert/skew.ts)', () => {
  it('is 0 until the first sample, then the median of the samples', () => {
    const skew = new SkewEstimate();
    assert.equal(skew.offset, 0);
    skew.sample(100);
    assert.equal(skew.offset, 100);
    skew.sample(300);
    assert.equal(skew.offset, 200, 'the mean of the two middle samples');
    skew.sample(5_000);
    assert.equal(skew.offset, 300, 'one delta that sat in a queue does not move it far');
    assert.equal(skew.count, 3);
  });

  it('ignores samples that are not clock skew', () => {
    const skew = new SkewEstimate();
    for (const bad of [NaN, Infinity, 86_400_001, -86_400_001]) skew.sample(bad);
    assert.equal(skew.count, 0);
    assert.equal(skew.offset, 0);
  });

  it('keeps the last 15 samples', () => {
    const skew = new SkewEstimate();
    for (let i = 0; i < 15; i++) skew.sample(1_000);
    for (let i = 0; i < 15; i++) skew.sample(-50);
    assert.equal(skew.count, 15);
    assert.equal(skew.offset, -50);
  });
});
