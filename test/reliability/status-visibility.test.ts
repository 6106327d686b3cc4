// A fault that heals within the status throttle interval must still show on the node:
// ThrottledStatus.now() renders at once, inside the interval, and replaces the pending render.
import assert from 'node:assert/strict';
import { ThrottledStatus } from '../../nodes/shared/throttled-status';
import { sleep } from '../helpers/wait';

describe('status visibility of short outages', () => {
  it('shows a state change at once even inside the throttle interval, then throttles again', async () => {
    const shown: string[] = [];
    let state = 'ready';
    const status = new ThrottledStatus(
      { status: (s) => shown.push(String(s.text)) },
      () => ({ fill: 'green', text: state }),
      10_000,
    );
    status.update(); // first render: immediate
    state = 'disconnected';
    status.update(); // inside the interval: only scheduled
    assert.deepEqual(shown, ['ready']);
    status.now(); // a connection change: shown now
    assert.deepEqual(shown, ['ready', 'disconnected']);
    state = 'ready';
    status.now();
    assert.deepEqual(shown, ['ready', 'disconnected', 'ready']);
    state = 'ready (count 5)';
    status.update(); // ordinary updates are throttled again
    assert.equal(shown.length, 3);
    status.dispose();
    status.now(); // nothing after dispose
    await sleep(5);
    assert.equal(shown.length, 3);
  });
});
