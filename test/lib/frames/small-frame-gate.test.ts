import assert from 'node:assert/strict';
import { FIRST_PAUSE, LAST_PAUSE, SmallFrameGate, WINDOW } from '../../../lib/frames/small-frame-gate';

/** Feeds `frames` small frames to the gate, a template reading the i-th admitted one when `reads(i)`: the admitted. */
function feed(gate: SmallFrameGate, frames: number, reads: (i: number) => boolean): number {
  let admitted = 0;
  for (let i = 0; i < frames; i++) {
    if (!gate.admit()) continue;
    admitted++;
    if (reads(admitted)) gate.hit();
  }
  return admitted;
}

/** Feeds the gate step after step: [frames, reads, frames it must let in, what the step shows]. */
function steps(gate: SmallFrameGate, list: [number, (i: number) => boolean, number, string][]): void {
  for (const [frames, reads, admitted, note] of list) assert.equal(feed(gate, frames, reads), admitted, note);
}

describe('lib/frames/small-frame-gate', () => {
  it('lets every small frame in while templates read at least half of them', () => {
    const gate = new SmallFrameGate();
    assert.equal(
      feed(gate, 20 * WINDOW, (i) => i % 2 === 0),
      20 * WINDOW,
    );
  });

  it('pauses after a window in which templates read fewer than half, twice as long after each such window', () => {
    steps(new SmallFrameGate(), [
      [WINDOW, (i) => i % 4 === 0, WINDOW, 'the first window is tried whole'],
      [FIRST_PAUSE, () => true, 0, 'then a pause of FIRST_PAUSE frames'],
      [WINDOW, () => false, WINDOW, 'then another window'],
      [2 * FIRST_PAUSE, () => true, 0, 'which did not pay either: a pause twice as long'],
      [1, () => true, 1, 'and nothing longer'],
    ]);
  });

  it('comes back to the first pause once a window pays', () => {
    steps(new SmallFrameGate(), [
      [WINDOW, () => false, WINDOW, 'a window that does not pay'],
      [FIRST_PAUSE, () => true, 0, 'its pause'],
      [WINDOW, () => true, WINDOW, 'a window in which every frame was read'],
      [WINDOW, () => false, WINDOW, 'goes on: the next window is tried whole'],
      [FIRST_PAUSE, () => true, 0, 'a pause of FIRST_PAUSE again'],
      [1, () => true, 1, 'not twice as long'],
    ]);
  });

  it('pauses LAST_PAUSE frames at most, and calls onReopen as each pause ends', () => {
    let reopened = 0;
    const gate = new SmallFrameGate(() => reopened++);
    let pauses = 0;
    for (let pause = FIRST_PAUSE; pause < LAST_PAUSE; pause *= 2, pauses++) {
      steps(gate, [
        [WINDOW, () => false, WINDOW, 'a window that does not pay'],
        [pause, () => true, 0, `a pause of ${pause}`],
      ]);
    }
    assert.equal(reopened, pauses);
    steps(gate, [
      [WINDOW, () => false, WINDOW, 'a window that does not pay'],
      [LAST_PAUSE, () => true, 0, 'a pause of LAST_PAUSE'],
      [WINDOW, () => false, WINDOW, 'a window that does not pay'],
      [LAST_PAUSE, () => true, 0, 'LAST_PAUSE again'],
      [1, () => true, 1, 'not twice as long'],
    ]);
    assert.equal(reopened, pauses + 2);
  });
});
